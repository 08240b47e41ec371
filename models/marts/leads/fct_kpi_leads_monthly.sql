-- One row per month per scope (rep, team, company) and per lead source (scope `lead_source`,
-- company-wide) with the additive parts of the leads KPI family, built from
-- int_lead_measures_monthly: the finest grain of the family. The semantic layer's `leads`
-- semantic model reads it (so every leads metric can also be grouped by lead source,
-- kpi_scope__scope = 'lead_source'), and kpi_leads / kpi_leads_lead_sources roll it up to fiscal
-- quarters and years.
{%- set measures = ['new_leads', 'new_opportunities', 'cohort_leads_to_opportunity', 'mql_leads', 'mql_leads_to_sql',
                    'outbound_calls', 'connected_calls', 'emails_sent', 'emails_bounced', 'emails_opened'] %}

with

lead_measures as {{ cte_materialization(false) }} (
    select * from {{ ref('int_lead_measures_monthly') }}
),

scope_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_scope_months') }}
),

measures_by_scope as (
    {{ expand_to_scopes('lead_measures', measures) }}
    union all
    {{ expand_to_lead_sources('lead_measures', measures) }}
),

-- Spine: every active scope-month, every lead source in every reporting month (zero counts, not
-- missing rows), plus any scope-month that has an event
active_scope_months as (
    {{ scope_month_spine('scope_months', ['measures_by_scope'], lead_sources_every_month=true) | indent(4) }}
),

scope_month_measures as (
    {{ join_measures_to_spine('active_scope_months', {'measures_by_scope': measures}) | indent(4) }}
),

final as (
    select
        {{ scope_month_columns() | indent(8) }},
        cast(new_leads as bigint) as new_leads,
        cast(new_opportunities as bigint) as new_opportunities,
        cast(cohort_leads_to_opportunity as bigint) as cohort_leads_to_opportunity,
        cast(mql_leads as bigint) as mql_leads,
        cast(mql_leads_to_sql as bigint) as mql_leads_to_sql,
        cast(mql_leads - mql_leads_to_sql as bigint) as mql_leads_dropped,
        cast(outbound_calls as bigint) as outbound_calls,
        cast(connected_calls as bigint) as connected_calls,
        cast(emails_sent - emails_bounced as bigint) as emails_delivered,
        cast(emails_opened as bigint) as emails_opened,
        cast(emails_sent as bigint) as emails_sent,
        cast(emails_bounced as bigint) as emails_bounced
    from scope_month_measures
)

select * from final
