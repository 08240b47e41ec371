-- One row per KPI scope (rep, team, company) per month it was active in, from the first month
-- with a deal to the month of var('as_of_date'): the spine that gives every KPI mart a row
-- for an active entity's empty month (zero counts, not a missing row). A rep is active while
-- employed; a team while any rep is assigned to it; the company in every reporting month.

with

calendar_months as (
    select
        month_start,
        month_end
    from {{ ref('int_calendar_months') }}
),

deals as (
    select created_month from {{ ref('int_deals_enriched') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

assignments as (
    select * from {{ ref('int_rep_team_assignments') }}
),

reporting_window as (
    select
        min(created_month) as first_month,
        cast({{ dbt.date_trunc('month', dbt.cast(sql_string_literal(var('as_of_date')), 'date')) }} as date) as last_month
    from deals
),

reporting_months as (
    select
        calendar_months.month_start,
        calendar_months.month_end
    from calendar_months
    inner join reporting_window
        on calendar_months.month_start between reporting_window.first_month and reporting_window.last_month
),

rep_months as (
    select
        'rep' as scope,
        reps.rep_id as scope_id,
        reps.rep_name as scope_name,
        reporting_months.month_start
    from reps
    inner join reporting_months
        on (reps.hire_date is null or reps.hire_date <= reporting_months.month_end)
        and (reps.termination_date is null or reps.termination_date >= reporting_months.month_start)
),

team_months as (
    select distinct
        'team' as scope,
        assignments.team_id as scope_id,
        assignments.team_name as scope_name,
        reporting_months.month_start
    from assignments
    inner join reporting_months
        on assignments.valid_from <= reporting_months.month_end
        and assignments.valid_to >= reporting_months.month_start
),

company_months as (
    select
        'company' as scope,
        'company' as scope_id,
        {{ sql_string_literal(var('company_name')) }} as scope_name,
        month_start
    from reporting_months
),

final as (
    select * from rep_months
    union all
    select * from team_months
    union all
    select * from company_months
)

select * from final
