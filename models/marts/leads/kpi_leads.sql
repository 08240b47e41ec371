-- One row per period (month, fiscal quarter, fiscal year) per scope (rep, team, company) that
-- was active in it: the leads KPI family (KPI_CATALOGUE.md section B). The additive parts per
-- scope and month come from fct_kpi_leads_monthly, are rolled up to each period grain (macro
-- roll_up_to_periods), then divided — a rate is never averaged.
{%- set measures = ['new_leads', 'cohort_leads_to_opportunity', 'mql_leads', 'mql_leads_to_sql', 'new_opportunities',
                    'outbound_calls', 'connected_calls', 'emails_sent', 'emails_bounced', 'emails_opened'] %}

with

lead_months as (
    select * from {{ ref('fct_kpi_leads_monthly') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

scope_month_measures as (
    select
        *,
        period_start as month_start
    from lead_months
    where scope <> 'lead_source'
),

period_measures as (
    {{ roll_up_to_periods(measures) }}
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
