-- One row per day (reporting time zone) per owner team, open stage and lead source with at least
-- one open deal at the end of the day, up to as_of_date: the historical open pipeline,
-- reconstructed point-in-time from the deal stage history (int_pipeline_daily), for BI to chart
-- as a daily, weekly or monthly trend (pick the last day of each week / month; a day with no row
-- for a team, stage and source had nothing open there).
-- Version 2 (latest): the amount is `open_pipeline`, as in every other mart and in dim_kpi; v1
-- (fct_pipeline_daily_v1, deprecated) keeps the old name open_pipeline_amount until its
-- deprecation date — see "Model versions" in docs/serving.md.
-- A view (a table on Spark): a typed projection of int_pipeline_daily, which the build already
-- holds, so the warehouse does not store the daily pipeline twice.

{#- A table on Spark, whose marts are Parquet tables (a view there re-plans its whole upstream
    for every query, and the cross-engine comparison reads the marts' files). -#}
{{ config(materialized='table' if target.type == 'spark' else 'view') }}

with

pipeline_daily as (
    select * from {{ ref('int_pipeline_daily') }}
),

final as (
    select
        cast(pipeline_date as date) as pipeline_date,
        cast(pipeline_month as date) as pipeline_month,
        cast(team_id as {{ dbt.type_string() }}) as team_id,
        cast(team_name as {{ dbt.type_string() }}) as team_name,
        cast(stage as {{ dbt.type_string() }}) as stage,
        cast(stage_order as integer) as stage_order,
        cast(lead_source as {{ dbt.type_string() }}) as lead_source,
        cast(open_deals as bigint) as open_deals,
        cast(open_pipeline_amount as decimal(18, 2)) as open_pipeline,
        cast(open_deals_missing_fx_rate as bigint) as open_deals_missing_fx_rate
    from pipeline_daily
)

select * from final
