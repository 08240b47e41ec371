-- One row per month per scope (team, company):
-- the month rows of kpi_growth with their keys and additive parts only, the table
-- the semantic layer's `growth` semantic model reads.
-- MetricFlow sums measures over rows, so it must see a single period grain; fiscal quarters and
-- years come from the time spine's custom granularities, re-aggregated from these months.

with

kpi_growth as (
    select * from {{ ref('kpi_growth') }}
),

final as (
    select
        {{ dbt.concat(['scope', "':'", 'scope_id']) }} as scope_key,
        period_start,
        scope,
        scope_id,
        scope_name,
        revenue,
        deals_won,
        cross_sell_revenue,
        upsell_revenue,
        cohort_opportunities,
        cohort_opportunities_won,
        cohort_opportunities_lost,
        cohort_opportunities_open,
        cohort_leads,
        cohort_leads_to_customer,
        cohort_days_to_customer,
        open_pipeline,
        revenue_target
    from kpi_growth
    where period_grain = 'month'
)

select * from final
