-- One row per month per scope (team, company) and per lead source (scope `lead_source`,
-- company-wide): the month rows of kpi_growth and kpi_growth_lead_sources with their keys and
-- additive parts only, the table the semantic layer's `growth` semantic model reads — so every
-- growth metric can also be grouped by lead source (kpi_scope__scope = 'lead_source'). Lead
-- sources have no quota: their revenue_target is NULL (so pipeline coverage is NULL for them).
-- MetricFlow sums measures over rows, so it must see a single period grain; fiscal quarters and
-- years come from the time spine's custom granularities, re-aggregated from these months.

-- The additive columns, listed once so both branches of the union keep the same order.
{%- set measures = [
    'revenue',
    'deals_won',
    'cross_sell_revenue',
    'upsell_revenue',
    'cohort_opportunities',
    'cohort_opportunities_won',
    'cohort_opportunities_lost',
    'cohort_opportunities_open',
    'cohort_leads',
    'cohort_leads_to_customer',
    'cohort_days_to_customer',
    'open_pipeline',
] %}
with

kpi_growth as (
    select * from {{ ref('kpi_growth') }}
),

kpi_growth_lead_sources as (
    select * from {{ ref('kpi_growth_lead_sources') }}
),

scope_months as (
    select
        {{ dbt.concat(['scope', "':'", 'scope_id']) }} as scope_key,
        period_start,
        scope,
        scope_id,
        scope_name,
        {{ measures | join(',\n        ') }},
        revenue_target
    from kpi_growth
    where period_grain = 'month'
),

lead_source_months as (
    select
        {{ dbt.concat(["'lead_source:'", 'lead_source']) }} as scope_key,
        period_start,
        cast('lead_source' as {{ dbt.type_string() }}) as scope,
        lead_source as scope_id,
        lead_source as scope_name,
        {{ measures | join(',\n        ') }},
        cast(null as decimal(18, 2)) as revenue_target
    from kpi_growth_lead_sources
    where period_grain = 'month'
),

final as (
    select * from scope_months
    union all
    select * from lead_source_months
)

select * from final
