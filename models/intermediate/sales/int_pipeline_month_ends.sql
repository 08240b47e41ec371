-- One row per month (reporting time zone) per owner team, open stage and lead source with at
-- least one open deal at the end of the month's last day — at the end of var('as_of_date') for
-- the month in progress: the month-end balances of int_pipeline_daily, read once here by the
-- monthly KPI facts (fct_kpi_growth_monthly, fct_kpi_growth_funnel_stages_monthly). A balance,
-- not a flow: a period's open pipeline is the balance of its last month, never a sum of months.

with

pipeline_daily as (
    select * from {{ ref('int_pipeline_daily') }}
),

final as (
    select
        pipeline_month as month_start,
        pipeline_date,
        team_id,
        team_name,
        stage,
        stage_order,
        lead_source,
        open_deals,
        open_pipeline_amount,
        open_deals_missing_fx_rate
    from pipeline_daily
    where
        pipeline_date = cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'pipeline_month')) }} as date)
        or pipeline_date = {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
)

select * from final
