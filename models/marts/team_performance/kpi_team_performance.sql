-- One row per period (month, fiscal quarter, fiscal year) per scope (rep, team, company) that
-- was active in it: the team-performance KPI family (KPI_CATALOGUE.md section A). The additive
-- parts per scope and month come from fct_kpi_team_performance_monthly; here they are rolled up
-- to each period grain, then divided — a rate is never averaged. Rep counts (active reps, reps
-- with and at quota, reps using content) are distinct reps per period, not additive across
-- months or scopes, so they are counted here from the rep-months: the active flag from
-- fct_kpi_active_reps_monthly, quota and team from int_rep_months, won revenue and content use
-- from the rep rows of fct_kpi_team_performance_monthly.
{%- set measures = [
    'deals_won', 'deals_lost', 'won_revenue', 'closed_revenue', 'deals_missing_fx_rate', 'won_sales_cycle_days',
    'new_accounts_won', 'deals_won_with_content', 'deals_closed_with_content', 'qualified_opportunities',
    'calls_made', 'emails_sent', 'meetings_booked', 'meetings_held', 'value_added_calls', 'selling_minutes',
    'logged_minutes', 'revenue_target', 'deals_won_target', 'new_accounts_target', 'training_enrolments',
    'training_completions', 'post_training_score_total', 'post_training_assessments', 'reassessment_score_total',
    'reassessed_first_score_total', 'content_uses',
] %}

with

team_performance_monthly as {{ cte_materialization(false) }} (
    select * from {{ ref('fct_kpi_team_performance_monthly') }}
),

active_reps_monthly as (
    select * from {{ ref('fct_kpi_active_reps_monthly') }}
),

rep_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_rep_months') }}
),

period_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_period_months') }}
),

scope_month_measures as (
    select
        scope,
        scope_id,
        scope_name,
        {%- for column in measures %}
        {{ column }},
        {%- endfor %}
        period_start as month_start
    from team_performance_monthly
),

period_measures as (
    {{ roll_up_to_periods(measures) | indent(4) }}
),

-- Distinct reps per period: active, holding a quota, at quota, using content ----------------

rep_month_status as (
    select
        rep_months.rep_id,
        rep_months.rep_name,
        rep_months.team_id,
        rep_months.team_name,
        rep_months.month_start,
        rep_months.revenue_quota,
        case when active_reps_monthly.rep_id is not null then 1 else 0 end as is_active,
        case when rep_measures.content_uses > 0 then 1 else 0 end as used_content,
        coalesce(rep_measures.won_revenue, 0) as won_revenue
    from rep_months
    left join active_reps_monthly
        on rep_months.rep_id = active_reps_monthly.rep_id
        and rep_months.month_start = active_reps_monthly.period_start
        and active_reps_monthly.scope = 'rep'
    left join team_performance_monthly as rep_measures
        on rep_months.rep_id = rep_measures.scope_id
        and rep_months.month_start = rep_measures.period_start
        and rep_measures.scope = 'rep'
),

rep_status_by_scope as (
    {{ expand_to_scopes('rep_month_status', ['revenue_quota', 'is_active', 'used_content', 'won_revenue'],
                        dimensions=['rep_id']) | indent(4) }}
),

rep_period_status as (
    select
        period_months.period_grain,
        period_months.period_start,
        rep_status_by_scope.scope,
        rep_status_by_scope.scope_id,
        rep_status_by_scope.rep_id,
        max(rep_status_by_scope.is_active) as is_active,
        max(rep_status_by_scope.used_content) as used_content,
        sum(rep_status_by_scope.revenue_quota) as revenue_quota,
        sum(rep_status_by_scope.won_revenue) as won_revenue
    from rep_status_by_scope
    inner join period_months
        on rep_status_by_scope.month_start = period_months.month_start
    group by
        period_months.period_grain,
        period_months.period_start,
        rep_status_by_scope.scope,
        rep_status_by_scope.scope_id,
        rep_status_by_scope.rep_id
),

rep_counts as (
    select
        period_grain,
        period_start,
        scope,
        scope_id,
        sum(is_active) as active_reps,
        sum(case when revenue_quota > 0 then 1 else 0 end) as reps_with_quota,
        sum(case when revenue_quota > 0 and won_revenue >= revenue_quota then 1 else 0 end) as reps_at_quota,
        sum(case when is_active = 1 then used_content else 0 end) as reps_using_content
    from rep_period_status
    group by period_grain, period_start, scope, scope_id
),

with_rep_counts as (
    select
        period_measures.*,
        coalesce(rep_counts.active_reps, 0) as active_reps,
        coalesce(rep_counts.reps_with_quota, 0) as reps_with_quota,
        coalesce(rep_counts.reps_at_quota, 0) as reps_at_quota,
        coalesce(rep_counts.reps_using_content, 0) as reps_using_content
    from period_measures
    left join rep_counts
        using (period_grain, period_start, scope, scope_id)
),

final as (
    select
        {{ period_scope_columns() | indent(8) }},
        -- revenue vs target, quota attainment
        cast(won_revenue as decimal(18, 2)) as won_revenue,
        cast(revenue_target as decimal(18, 2)) as revenue_target,
        cast(won_revenue - revenue_target as decimal(18, 2)) as revenue_gap,
        {{ pct('won_revenue', 'revenue_target') }} as quota_attainment_pct,
        cast(deals_won_target as decimal(18, 2)) as deals_won_target,
        cast(deals_won - deals_won_target as decimal(18, 2)) as deals_won_gap,
        cast(new_accounts_won as bigint) as new_accounts_won,
        cast(new_accounts_target as decimal(18, 2)) as new_accounts_target,
        cast(new_accounts_won - new_accounts_target as decimal(18, 2)) as new_accounts_gap,
        cast(reps_with_quota as bigint) as reps_with_quota,
        cast(reps_at_quota as bigint) as reps_at_quota,
        {{ pct('reps_at_quota', 'reps_with_quota') }} as reps_at_quota_pct,
        -- sales per rep
        cast(active_reps as bigint) as active_reps,
        cast({{ safe_divide('won_revenue', 'active_reps') }} as decimal(18, 2)) as revenue_per_rep,
        cast({{ safe_divide('deals_won', 'active_reps') }} as decimal(18, 4)) as deals_won_per_rep,
        -- win rate, deal size, cycle
        cast(deals_won as bigint) as deals_won,
        cast(deals_lost as bigint) as deals_lost,
        cast(deals_won + deals_lost as bigint) as deals_closed,
        {{ pct('deals_won', 'deals_won + deals_lost') }} as win_rate_pct,
        cast(closed_revenue as decimal(18, 2)) as closed_revenue,
        {{ pct('won_revenue', 'closed_revenue') }} as win_rate_by_amount_pct,
        cast(deals_missing_fx_rate as bigint) as deals_missing_fx_rate,
        cast({{ safe_divide('won_revenue', 'deals_won') }} as decimal(18, 2)) as average_deal_size,
        cast(won_sales_cycle_days as bigint) as won_sales_cycle_days,
        cast({{ safe_divide('won_sales_cycle_days', 'deals_won') }} as decimal(18, 2)) as average_sales_cycle_days,
        -- rep activity and selling time
        cast(calls_made as bigint) as calls_made,
        cast(emails_sent as bigint) as emails_sent,
        cast(meetings_booked as bigint) as meetings_booked,
        cast(meetings_held as bigint) as meetings_held,
        cast(value_added_calls as bigint) as value_added_calls,
        cast(selling_minutes as bigint) as selling_minutes,
        cast(logged_minutes as bigint) as logged_minutes,
        {{ pct('selling_minutes', 'logged_minutes') }} as selling_time_share_pct,
        -- sales velocity: qualified opportunities × average deal size × win rate (0–1) / cycle days
        cast(qualified_opportunities as bigint) as qualified_opportunities,
        cast(
            qualified_opportunities
            * {{ safe_divide('won_revenue', 'deals_won') }}
            * {{ safe_divide('deals_won', 'deals_won + deals_lost') }}
            / nullif({{ safe_divide('won_sales_cycle_days', 'deals_won') }}, 0)
            as decimal(18, 2)
        ) as sales_velocity_per_day,
        -- training and product knowledge
        cast(training_enrolments as bigint) as training_enrolments,
        cast(training_completions as bigint) as training_completions,
        {{ pct('training_completions', 'training_enrolments') }} as training_completion_pct,
        cast(post_training_score_total as decimal(18, 2)) as post_training_score_total,
        cast(post_training_assessments as bigint) as post_training_assessments,
        cast({{ safe_divide('post_training_score_total', 'post_training_assessments') }} as decimal(18, 2))
            as average_assessment_score,
        cast(reassessment_score_total as decimal(18, 2)) as reassessment_score_total,
        cast(reassessed_first_score_total as decimal(18, 2)) as reassessed_first_score_total,
        {{ pct('reassessment_score_total', 'reassessed_first_score_total') }} as knowledge_retention_pct,
        -- content usage
        cast(content_uses as bigint) as content_uses,
        cast(reps_using_content as bigint) as reps_using_content,
        {{ pct('reps_using_content', 'active_reps') }} as reps_using_content_pct,
        cast(deals_won_with_content as bigint) as deals_won_with_content,
        cast(deals_closed_with_content as bigint) as deals_closed_with_content,
        {{ pct('deals_won_with_content', 'deals_closed_with_content') }} as win_rate_with_content_pct,
        cast(deals_won - deals_won_with_content as bigint) as deals_won_without_content,
        cast(deals_won + deals_lost - deals_closed_with_content as bigint) as deals_closed_without_content,
        {{ pct('deals_won - deals_won_with_content', 'deals_won + deals_lost - deals_closed_with_content') }}
            as win_rate_without_content_pct
    from with_rep_counts
)

select * from final
