-- One row per month per scope (rep, team, company) and per lead source (scope `lead_source`,
-- company-wide): the month rows of kpi_leads and kpi_leads_lead_sources with their keys and
-- additive parts only, the table the semantic layer's `leads` semantic model reads — so every
-- leads metric can also be grouped by lead source (kpi_scope__scope = 'lead_source').
-- MetricFlow sums measures over rows, so it must see a single period grain; fiscal quarters and
-- years come from the time spine's custom granularities, re-aggregated from these months.

-- The additive columns, listed once so both branches of the union keep the same order.
{%- set measures = [
    'new_leads',
    'new_opportunities',
    'cohort_leads_to_opportunity',
    'mql_leads',
    'mql_leads_to_sql',
    'mql_leads_dropped',
    'outbound_calls',
    'connected_calls',
    'emails_delivered',
    'emails_opened',
] %}
with

kpi_leads as (
    select * from {{ ref('kpi_leads') }}
),

kpi_leads_lead_sources as (
    select * from {{ ref('kpi_leads_lead_sources') }}
),

scope_months as (
    select
        {{ dbt.concat(['scope', "':'", 'scope_id']) }} as scope_key,
        period_start,
        scope,
        scope_id,
        scope_name,
        {{ measures | join(',\n        ') }}
    from kpi_leads
    where period_grain = 'month'
),

lead_source_months as (
    select
        {{ dbt.concat(["'lead_source:'", 'lead_source']) }} as scope_key,
        period_start,
        cast('lead_source' as {{ dbt.type_string() }}) as scope,
        lead_source as scope_id,
        lead_source as scope_name,
        {{ measures | join(',\n        ') }}
    from kpi_leads_lead_sources
    where period_grain = 'month'
),

final as (
    select * from scope_months
    union all
    select * from lead_source_months
)

select * from final
