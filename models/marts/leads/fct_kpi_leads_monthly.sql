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

lead_sources as (
    select distinct
        scope,
        scope_id,
        scope_name
    from measures_by_scope
    where scope = 'lead_source'
),

-- Spine: every active scope-month, every lead source in every reporting month (zero counts, not
-- missing rows), plus any scope-month that has an event
spine as (
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from scope_months
    union
    select
        lead_sources.scope,
        lead_sources.scope_id,
        lead_sources.scope_name,
        scope_months.month_start
    from lead_sources
    cross join scope_months
    where scope_months.scope = 'company'
    union
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from measures_by_scope
),

active_scope_months as (
    select
        scope,
        scope_id,
        max(scope_name) as scope_name,
        month_start
    from spine
    group by scope, scope_id, month_start
),

scope_month_measures as (
    select
        active_scope_months.scope,
        active_scope_months.scope_id,
        active_scope_months.scope_name,
        {%- for column in measures %}
        coalesce(measures_by_scope.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        active_scope_months.month_start
    from active_scope_months
    left join measures_by_scope
        on active_scope_months.scope = measures_by_scope.scope
        and active_scope_months.scope_id = measures_by_scope.scope_id
        and active_scope_months.month_start = measures_by_scope.month_start
),

final as (
    select
        {{ dbt.concat(['scope', "':'", 'scope_id']) }} as scope_key,
        cast(month_start as date) as period_start,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(scope_name as {{ dbt.type_string() }}) as scope_name,
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
