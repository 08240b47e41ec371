-- One row per month per scope (rep, team, company) per rep active in it: the rep-months behind
-- kpi_team_performance.active_reps, the table the semantic layer's `team_performance_reps`
-- semantic model reads. A rep is active in a month when their rep row of kpi_team_performance
-- says so (active_reps = 1: employed and holding a quota or owning an open deal); the team is
-- the rep's team that month (int_rep_months), as in the mart. MetricFlow counts distinct rep_id
-- over these rows, so a fiscal quarter's active reps are the reps active in any of its months —
-- the mart's definition — and the per-rep KPIs re-aggregate correctly.

with

team_performance as (
    select * from {{ ref('kpi_team_performance') }}
),

rep_months as (
    select * from {{ ref('int_rep_months') }}
),

active_rep_months as (
    select
        team_performance.scope_id as rep_id,
        team_performance.period_start,
        rep_months.team_id
    from team_performance
    inner join rep_months
        on team_performance.scope_id = rep_months.rep_id
        and team_performance.period_start = rep_months.month_start
    where
        team_performance.period_grain = 'month'
        and team_performance.scope = 'rep'
        and team_performance.active_reps = 1
),

by_scope as (
    select
        'rep' as scope,
        rep_id as scope_id,
        period_start,
        rep_id
    from active_rep_months
    union all
    select
        'team' as scope,
        team_id as scope_id,
        period_start,
        rep_id
    from active_rep_months
    union all
    select
        'company' as scope,
        'company' as scope_id,
        period_start,
        rep_id
    from active_rep_months
),

final as (
    select
        cast({{ dbt.concat(['scope', "':'", 'scope_id']) }} as {{ dbt.type_string() }}) as scope_key,
        cast(period_start as date) as period_start,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(rep_id as {{ dbt.type_string() }}) as rep_id
    from by_scope
)

select * from final
