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

funnel_events as {{ cte_materialization(false) }} (
    select * from {{ ref('int_planning_funnel_events') }}
),

team_performance_monthly as (
    select * from {{ ref('fct_kpi_team_performance_monthly') }}
),

revenue_goals as (
    select * from {{ ref('stg_crm__revenue_goals') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_to_reporting') }}
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

-- opportunities created, leads created and converted, connected calls: the planning funnel's
funnel_facts as (
    select
        rep_id,
        rep_name,
        team_id,
        team_name,
        month_start,
        case when event_type = 'opportunity_created' then 1 else 0 end as opportunities_created,
        case when event_type = 'lead_created' then 1 else 0 end as leads_created,
        case when event_type = 'lead_created' and is_converted then 1 else 0 end as leads_converted,
        case when event_type = 'call_made' and is_connected then 1 else 0 end as connected_calls
    from funnel_events
),

{%- set deal_measures = ['deals_won', 'deals_closed', 'won_revenue', 'calls_made'] %}
{%- set funnel_measures = ['opportunities_created', 'leads_created', 'leads_converted', 'connected_calls'] %}
{%- set measures = deal_measures + funnel_measures %}

funnel_facts_by_scope as (
    {{ expand_to_scopes('funnel_facts', funnel_measures, scopes=['team', 'company']) }}
),

goals_converted as (
    select
        cast(revenue_goals.goal_month as date) as month_start,
        revenue_goals.team_id,
        cast(revenue_goals.goal_amount_local * fx_rates.rate_to_reporting as decimal(18, 2)) as revenue_goal
    from revenue_goals
    left join fx_rates
        on cast(revenue_goals.goal_month as date) = fx_rates.rate_month
        and revenue_goals.currency_code = fx_rates.currency_code
),

team_goals as (
    select
        'team' as scope,
        team_id as scope_id,
        month_start,
        sum(revenue_goal) as revenue_goal
    from goals_converted
    where team_id is not null
    group by team_id, month_start
),

-- The company goal is the company-wide row where the export has one, else the sum of team goals.
company_goals as (
    select
        'company' as scope,
        'company' as scope_id,
        month_start,
        coalesce(
            sum(case when team_id is null then revenue_goal end),
            sum(revenue_goal)
        ) as revenue_goal
    from goals_converted
    group by month_start
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
