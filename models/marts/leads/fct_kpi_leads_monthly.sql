-- One row per month per scope (rep, team, company):
-- the month rows of kpi_leads with their keys and additive parts only, the table
-- the semantic layer's `leads` semantic model reads.
-- MetricFlow sums measures over rows, so it must see a single period grain; fiscal quarters and
-- years come from the time spine's custom granularities, re-aggregated from these months.

with

kpi_leads as (
    select * from {{ ref('kpi_leads') }}
),

final as (
    select
        {{ dbt.concat(['scope', "':'", 'scope_id']) }} as scope_key,
        period_start,
        scope,
        scope_id,
        scope_name,
        new_leads,
        new_opportunities,
        cohort_leads_to_opportunity,
        mql_leads,
        mql_leads_to_sql,
        mql_leads_dropped,
        outbound_calls,
        connected_calls,
        emails_delivered,
        emails_opened
    from kpi_leads
    where period_grain = 'month'
)

select * from final
