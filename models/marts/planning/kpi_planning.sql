-- One row per period (month, fiscal quarter, fiscal year) per scope (team, company): the KGI
-- → KPI back-calculation (KGIから逆算, KPI_CATALOGUE.md section E). From the revenue goal (KGI)
-- of the period: required deals = goal / average deal size; required opportunities = required
-- deals / win rate; required leads = required opportunities / lead → opportunity rate; required
-- calls = required leads / (leads per connected call × contact rate). The rates are trailing
-- actuals of the var('planning_trailing_months') calendar months before the period starts (the
-- plan a manager could have made on its first day), summed parts then divided; a zero rate gives
-- NULL downstream, never an error. Actuals of the period and the gaps stand next to the plan.

{%- set trailing_months = var('planning_trailing_months', 12) | int %}

with

deals as (
    select * from {{ ref('int_deals_enriched') }}
),

leads as (
    select * from {{ ref('fct_leads') }}
),

activities as (
    select * from {{ ref('fct_activities') }}
),

team_performance_monthly as (
    select * from {{ ref('fct_kpi_team_performance_monthly') }}
),

revenue_goals as {{ cte_materialization(false) }} (
    select * from {{ ref('fct_revenue_goals') }}
),

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

-- deals won and closed, won revenue and calls made per month: the team-performance fact's
deal_facts_by_scope as (
    select
        scope,
        scope_id,
        period_start as month_start,
        deals_won,
        deals_closed,
        won_revenue,
        calls_made
    from team_performance_monthly
    where scope in ('team', 'company')
),

-- opportunities created (the owner's team on the creation date), leads created and converted
-- (the owner's team on the creation date; converted = an opportunity by the as-of date, the
-- cohort view) and connected calls (the rep's team on the call date), one row per event
funnel_events as (
    select
        created_team_id as team_id,
        created_month as month_start,
        1 as opportunities_created,
        0 as leads_created,
        0 as leads_converted,
        0 as connected_calls
    from deals
    union all
    select
        team_id,
        created_month as month_start,
        0 as opportunities_created,
        1 as leads_created,
        case when is_opportunity then 1 else 0 end as leads_converted,
        0 as connected_calls
    from leads
    union all
    select
        team_id,
        activity_month as month_start,
        0 as opportunities_created,
        0 as leads_created,
        0 as leads_converted,
        1 as connected_calls
    from activities
    where is_connected_call
),

{%- set deal_measures = ['deals_won', 'deals_closed', 'won_revenue', 'calls_made'] %}
{%- set funnel_measures = ['opportunities_created', 'leads_created', 'leads_converted', 'connected_calls'] %}
{%- set measures = deal_measures + funnel_measures %}

funnel_facts_by_scope as (
    select
        'team' as scope,
        team_id as scope_id,
        month_start,
        sum(opportunities_created) as opportunities_created,
        sum(leads_created) as leads_created,
        sum(leads_converted) as leads_converted,
        sum(connected_calls) as connected_calls
    from funnel_events
    group by team_id, month_start
    union all
    select
        'company' as scope,
        'company' as scope_id,
        month_start,
        sum(opportunities_created) as opportunities_created,
        sum(leads_created) as leads_created,
        sum(leads_converted) as leads_converted,
        sum(connected_calls) as connected_calls
    from funnel_events
    group by month_start
),

-- The team's goals; the company's is the sum of all rows (fct_revenue_goals holds the
-- company-wide goal as an adjustment to the team goals).
team_goals as (
    select
        'team' as scope,
        team_id as scope_id,
        goal_month as month_start,
        sum(revenue_goal) as revenue_goal
    from revenue_goals
    where goal_level = 'team'
    group by team_id, goal_month
),

company_goals as (
    select
        'company' as scope,
        'company' as scope_id,
        goal_month as month_start,
        sum(revenue_goal) as revenue_goal
    from revenue_goals
    group by goal_month
),

goals_by_scope as (
    select * from team_goals
    union all
    select * from company_goals
),

active_scope_months as (
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from scope_months
    where scope in ('team', 'company')
),

scope_month_measures as (
    {{ join_measures_to_spine('active_scope_months', {
        'deal_facts_by_scope': deal_measures,
        'funnel_facts_by_scope': funnel_measures,
        'goals_by_scope': ['revenue_goal'],
    }, nullable=['revenue_goal']) | indent(4) }}
),

period_measures as (
    {{ roll_up_to_periods(measures + ['revenue_goal']) }}
),

trailing_measures as (
    select
        period_measures.period_grain,
        period_measures.period_start,
        period_measures.scope,
        period_measures.scope_id,
        {%- for column in measures %}
        sum(scope_month_measures.{{ column }}) as trailing_{{ column }},
        {%- endfor %}
        count(scope_month_measures.month_start) as trailing_months_with_data
    from period_measures
    inner join scope_month_measures
        on period_measures.scope = scope_month_measures.scope
        and period_measures.scope_id = scope_month_measures.scope_id
        and period_measures.period_start > scope_month_measures.month_start
        and scope_month_measures.month_start
        >= cast({{ dbt.dateadd('month', -1 * trailing_months, 'period_measures.period_start') }} as date)
    group by
        period_measures.period_grain,
        period_measures.period_start,
        period_measures.scope,
        period_measures.scope_id
),

with_rates as (
    select
        period_measures.*,
        {%- for column in measures %}
        coalesce(trailing_measures.trailing_{{ column }}, 0) as trailing_{{ column }},
        {%- endfor %}
        coalesce(trailing_measures.trailing_months_with_data, 0) as trailing_months_with_data,
        {{ safe_divide('trailing_measures.trailing_won_revenue', 'trailing_measures.trailing_deals_won') }}
            as trailing_average_deal_size,
        {{ safe_divide('trailing_measures.trailing_deals_won', 'trailing_measures.trailing_deals_closed') }}
            as trailing_win_rate,
        {{ safe_divide('trailing_measures.trailing_leads_converted', 'trailing_measures.trailing_leads_created') }}
            as trailing_lead_to_opportunity_rate,
        {{ safe_divide('trailing_measures.trailing_connected_calls', 'trailing_measures.trailing_calls_made') }}
            as trailing_contact_rate,
        {{ safe_divide('trailing_measures.trailing_leads_created', 'trailing_measures.trailing_connected_calls') }}
            as trailing_leads_per_connected_call
    from period_measures
    left join trailing_measures
        using (period_grain, period_start, scope, scope_id)
),

back_calculation as (
    select
        with_rates.*,
        {{ safe_divide('revenue_goal', 'trailing_average_deal_size') }} as required_deals
    from with_rates
),

required_opportunities as (
    select
        back_calculation.*,
        {{ safe_divide('required_deals', 'trailing_win_rate') }} as required_opportunities
    from back_calculation
),

required_leads as (
    select
        required_opportunities.*,
        {{ safe_divide('required_opportunities', 'trailing_lead_to_opportunity_rate') }} as required_leads
    from required_opportunities
),

required_calls as (
    select
        required_leads.*,
        {{ safe_divide('required_leads', 'trailing_leads_per_connected_call * trailing_contact_rate') }} as required_calls
    from required_leads
),

final as (
    select
        {{ period_scope_columns() | indent(8) }},
        -- the KGI and the actual revenue
        cast(revenue_goal as decimal(18, 2)) as revenue_goal,
        cast(won_revenue as decimal(18, 2)) as won_revenue,
        cast(won_revenue - revenue_goal as decimal(18, 2)) as revenue_goal_gap,
        {{ pct('won_revenue', 'revenue_goal') }} as revenue_goal_attainment_pct,
        -- trailing actual rates
        cast({{ trailing_months }} as integer) as trailing_months,
        cast(trailing_months_with_data as integer) as trailing_months_with_data,
        cast(trailing_won_revenue as decimal(18, 2)) as trailing_won_revenue,
        cast(trailing_deals_won as bigint) as trailing_deals_won,
        cast(trailing_deals_closed as bigint) as trailing_deals_closed,
        cast(trailing_average_deal_size as decimal(18, 2)) as trailing_average_deal_size,
        {{ pct('trailing_deals_won', 'trailing_deals_closed') }} as trailing_win_rate_pct,
        cast(trailing_leads_created as bigint) as trailing_leads_created,
        cast(trailing_leads_converted as bigint) as trailing_leads_converted,
        {{ pct('trailing_leads_converted', 'trailing_leads_created') }} as trailing_lead_to_opportunity_pct,
        cast(trailing_calls_made as bigint) as trailing_calls_made,
        cast(trailing_connected_calls as bigint) as trailing_connected_calls,
        {{ pct('trailing_connected_calls', 'trailing_calls_made') }} as trailing_contact_rate_pct,
        cast(trailing_leads_per_connected_call as decimal(18, 4)) as trailing_leads_per_connected_call,
        -- required (back-calculated) next to actual, and the gap (actual − required)
        cast(required_deals as decimal(18, 2)) as required_deals,
        cast(deals_won as bigint) as deals_won,
        cast(deals_won - required_deals as decimal(18, 2)) as deals_gap,
        cast(required_opportunities as decimal(18, 2)) as required_opportunities,
        cast(opportunities_created as bigint) as opportunities_created,
        cast(opportunities_created - required_opportunities as decimal(18, 2)) as opportunities_gap,
        cast(required_leads as decimal(18, 2)) as required_leads,
        cast(leads_created as bigint) as leads_created,
        cast(leads_created - required_leads as decimal(18, 2)) as leads_gap,
        cast(required_calls as decimal(18, 2)) as required_calls,
        cast(calls_made as bigint) as calls_made,
        cast(calls_made - required_calls as decimal(18, 2)) as calls_gap
    from required_calls
)

select * from final
