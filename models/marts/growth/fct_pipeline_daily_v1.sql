-- fct_pipeline_daily version 1 (deprecated): version 2 with the amount under its old name,
-- open_pipeline_amount, for BI that still reads it — a view (the daily table is built once; a
-- table on Spark).
-- Still the relation main_marts.fct_pipeline_daily until its deprecation date; new queries read
-- version 2 (main_marts.fct_pipeline_daily_v2, column open_pipeline). docs/serving.md "Model versions".

with

pipeline_daily as (
    select * from {{ ref('fct_pipeline_daily', v=2) }}
),

final as (
    select
        pipeline_date,
        pipeline_month,
        team_id,
        team_name,
        stage,
        stage_order,
        lead_source,
        open_deals,
        open_pipeline as open_pipeline_amount,
        open_deals_missing_fx_rate
    from pipeline_daily
)

select * from final
