-- One row per period (month, fiscal quarter, fiscal year) per scope (rep, team, company) that
-- was active in it: the leads KPI family (KPI_CATALOGUE.md section B). The additive monthly parts
-- come from int_lead_measures_monthly (shared with kpi_leads_lead_sources), are summed per scope
-- and month, rolled up to each period grain, then divided — a rate is never averaged.
{%- set measures = ['new_leads', 'cohort_leads_to_opportunity', 'mql_leads', 'mql_leads_to_sql', 'new_opportunities',
                    'outbound_calls', 'connected_calls', 'emails_sent', 'emails_bounced', 'emails_opened'] %}

with

lead_measures as {{ cte_materialization(false) }} (
    select * from {{ ref('int_lead_measures_monthly') }}
),

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

measures_by_scope as (
    {{ expand_to_scopes('lead_measures', measures) }}
),

-- Spine: every active scope-month, plus any scope-month that has an event
active_scope_months as (
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from scope_months
    union
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from measures_by_scope
),

scope_month_measures as (
    select
        active_scope_months.scope,
        active_scope_months.scope_id,
        active_scope_months.scope_name,
        active_scope_months.month_start,
        {%- for column in measures %}
        coalesce(measures_by_scope.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        1 as months_in_scope
    from active_scope_months
    left join measures_by_scope
        on active_scope_months.scope = measures_by_scope.scope
        and active_scope_months.scope_id = measures_by_scope.scope_id
        and active_scope_months.month_start = measures_by_scope.month_start
),

period_measures as (
    {{ roll_up_to_periods(measures + ['months_in_scope']) }}
),

final as (
    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(period_label as {{ dbt.type_string() }}) as period_label,
        period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as is_complete_period,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(scope_name as {{ dbt.type_string() }}) as scope_name,
        {{ lead_kpi_columns() }}
    from period_measures
)

select * from final
