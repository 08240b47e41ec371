-- One row per month per scope (team, company) per funnel stage:
-- the month rows of kpi_growth_funnel_stages with their keys and additive parts only, the table
-- the semantic layer's `growth_funnel_stages` semantic model reads.
-- MetricFlow sums measures over rows, so it must see a single period grain; fiscal quarters and
-- years come from the time spine's custom granularities, re-aggregated from these months.

with

kpi_growth_funnel_stages as (
    select * from {{ ref('kpi_growth_funnel_stages') }}
),

final as (
    select
        {{ dbt.concat(['scope', "':'", 'scope_id']) }} as scope_key,
        period_start,
        scope,
        scope_id,
        scope_name,
        stage,
        stage_order,
        stage_deals_entered,
        stage_deals_advanced,
        stage_deals_lost,
        stage_deals_exited,
        stage_days_total
    from kpi_growth_funnel_stages
    where period_grain = 'month'
)

select * from final
