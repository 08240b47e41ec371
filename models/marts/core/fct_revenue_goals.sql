-- One row per team and month with a revenue goal (KGI), in var('reporting_currency'): the goal
-- fact at its finest grain. A company-wide goal row (team_id empty in the export) becomes a
-- `company_adjustment` row with no team (team_id NULL, as in the export) holding the company goal
-- minus the month's team goals, only where the two differ; so the sum over all rows is the
-- company goal where the export has one and the sum of the team goals otherwise, at any grain,
-- and a team's rows are its own goals. A goal whose currency has no rate that month has a NULL goal (left out of sums), as
-- does a company goal without a rate (the team goals then stand for the company). A goal for a
-- team that is not a staged team counts for the `(unknown)` team. kpi_planning reads its goals
-- here; the semantic model `revenue_goals` reads it for the KGI back-calculation metrics.

with

revenue_goals as (
    select * from {{ ref('stg_crm__revenue_goals') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_to_reporting') }}
),

teams as (
    select * from {{ ref('dim_team') }}
),

goals_converted as (
    select
        cast(revenue_goals.goal_month as date) as goal_month,
        revenue_goals.team_id is null as is_company_goal,
        case
            when revenue_goals.team_id is not null then coalesce(teams.team_id, {{ unknown_member() }})
        end as team_id,
        cast(revenue_goals.goal_amount_local * fx_rates.rate_to_reporting as decimal(18, 2)) as revenue_goal
    from revenue_goals
    left join fx_rates
        on cast(revenue_goals.goal_month as date) = fx_rates.rate_month
        and revenue_goals.currency_code = fx_rates.currency_code
    left join teams
        on revenue_goals.team_id = teams.team_id
),

team_goals as (
    select
        goal_month,
        team_id,
        'team' as goal_level,
        sum(revenue_goal) as revenue_goal
    from goals_converted
    where not is_company_goal
    group by goal_month, team_id
),

company_adjustments as (
    select
        goal_month,
        cast(null as {{ dbt.type_string() }}) as team_id,
        'company_adjustment' as goal_level,
        sum(case when is_company_goal then revenue_goal end)
        - coalesce(sum(case when not is_company_goal then revenue_goal end), 0) as revenue_goal
    from goals_converted
    group by goal_month
),

goals as (
    select * from team_goals
    union all
    select * from company_adjustments
    where revenue_goal <> 0
),

final as (
    select
        goal_month,
        team_id,
        goal_level,
        cast(revenue_goal as decimal(18, 2)) as revenue_goal
    from goals
)

select * from final
