-- One row per period (month, fiscal quarter, fiscal year) per scope (rep, team, company) that
-- was active in it: the team-performance KPI family (KPI_CATALOGUE.md section A). Additive
-- parts are summed per scope and month, rolled up to each period grain, then divided — a rate
-- is never averaged. Events count in the month they happened in the reporting time zone, for
-- the rep's team on that date. Rep counts (active reps, reps at quota, reps using content)
-- are distinct reps per period, so they are not additive across months or scopes.

with

deals as {{ cte_materialization(false) }} (
    select * from {{ ref('int_deals_enriched') }}
),

activities as {{ cte_materialization(false) }} (
    select * from {{ ref('int_activities_enriched') }}
),

rep_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_rep_months') }}
),

enrolments as {{ cte_materialization(false) }} (
    select * from {{ ref('int_training_enrolments_enriched') }}
),

assessments as {{ cte_materialization(false) }} (
    select * from {{ ref('int_assessments_paired') }}
),

content_usage as {{ cte_materialization(false) }} (
    select * from {{ ref('int_content_usage_enriched') }}
),

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

period_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_period_months') }}
),

-- Additive monthly facts, one CTE per event source ------------------------------------------

deal_closes as (
    select
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        owner_team_id as team_id,
        owner_team_name as team_name,
        closed_month as month_start,
        case when is_won then 1 else 0 end as deals_won,
        case when is_lost then 1 else 0 end as deals_lost,
        case when is_won then amount else 0 end as won_revenue,
        coalesce(amount, 0) as closed_revenue,
        case when has_fx_rate then 0 else 1 end as deals_missing_fx_rate,
        case when is_won then sales_cycle_days else 0 end as won_sales_cycle_days,
        case when is_won and is_first_account_win then 1 else 0 end as new_accounts_won,
        case when is_won and has_content_usage then 1 else 0 end as deals_won_with_content,
        case when has_content_usage then 1 else 0 end as deals_closed_with_content
    from deals
    where is_closed
),

deals_qualified as (
    select
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        owner_team_id as team_id,
        owner_team_name as team_name,
        qualified_month as month_start,
        1 as qualified_opportunities
    from deals
    where qualified_month is not null
),

activity_facts as (
    select
        rep_id,
        rep_name,
        team_id,
        team_name,
        activity_month as month_start,
        case when activity_class = 'call' then 1 else 0 end as calls_made,
        case when activity_class = 'email' then 1 else 0 end as emails_sent,
        case when activity_class in ('meeting', 'demo') then 1 else 0 end as meetings_booked,
        case when activity_class in ('meeting', 'demo') and outcome = 'held' then 1 else 0 end as meetings_held,
        case when activity_class = 'call' and is_value_added then 1 else 0 end as value_added_calls,
        case when is_selling then duration_minutes else 0 end as selling_minutes,
        duration_minutes as logged_minutes
    from activities
),

quota_facts as (
    select
        rep_id,
        rep_name,
        team_id,
        team_name,
        month_start,
        revenue_quota as revenue_target,
        deals_won_quota as deals_won_target,
        new_accounts_quota as new_accounts_target
    from rep_months
    where has_quota
),

enrolment_facts as (
    select
        rep_id,
        rep_name,
        team_id,
        team_name,
        enrolled_month as month_start,
        1 as training_enrolments,
        case when is_completed then 1 else 0 end as training_completions
    from enrolments
),

assessment_facts as (
    select
        rep_id,
        rep_name,
        team_id,
        team_name,
        assessed_month as month_start,
        case when assessment_type = 'post_training' then score else 0 end as post_training_score_total,
        case when assessment_type = 'post_training' then 1 else 0 end as post_training_assessments,
        case when assessment_type = 'reassessment' and first_post_training_score is not null then score else 0 end
            as reassessment_score_total,
        case when assessment_type = 'reassessment' then first_post_training_score else 0 end
            as reassessed_first_score_total
    from assessments
),

content_facts as (
    select
        rep_id,
        rep_name,
        team_id,
        team_name,
        used_month as month_start,
        1 as content_uses
    from content_usage
),

{%- set measures = {
    'deal_closes': ['deals_won', 'deals_lost', 'won_revenue', 'closed_revenue', 'deals_missing_fx_rate',
                    'won_sales_cycle_days', 'new_accounts_won', 'deals_won_with_content', 'deals_closed_with_content'],
    'deals_qualified': ['qualified_opportunities'],
    'activity_facts': ['calls_made', 'emails_sent', 'meetings_booked', 'meetings_held', 'value_added_calls',
                       'selling_minutes', 'logged_minutes'],
    'quota_facts': ['revenue_target', 'deals_won_target', 'new_accounts_target'],
    'enrolment_facts': ['training_enrolments', 'training_completions'],
    'assessment_facts': ['post_training_score_total', 'post_training_assessments', 'reassessment_score_total',
                         'reassessed_first_score_total'],
    'content_facts': ['content_uses'],
} %}
{%- set nullable_measures = ['revenue_target', 'deals_won_target', 'new_accounts_target'] %}

{% for fact, columns in measures.items() %}
{{ fact }}_by_scope as (
    {{ expand_to_scopes(fact, columns) }}
),

{% endfor -%}

-- Distinct reps per period: active, holding a quota, at quota, using content ----------------

months_with_open_deal as (
    select distinct
        rep_months.rep_id,
        rep_months.month_start
    from rep_months
    inner join deals
        on rep_months.rep_id = deals.owner_rep_id
        and rep_months.month_start >= deals.created_month
        and (deals.closed_month is null or rep_months.month_start <= deals.closed_month)
),

months_with_content as (
    select distinct
        rep_id,
        used_month as month_start
    from content_usage
),

won_revenue_by_rep_month as (
    select
        owner_rep_id as rep_id,
        closed_month as month_start,
        sum(amount) as won_revenue
    from deals
    where is_won
    group by owner_rep_id, closed_month
),

rep_month_status as (
    select
        rep_months.rep_id,
        rep_months.team_id,
        rep_months.month_start,
        rep_months.revenue_quota,
        case when rep_months.has_quota or months_with_open_deal.rep_id is not null then 1 else 0 end as is_active,
        case when months_with_content.rep_id is not null then 1 else 0 end as used_content,
        coalesce(won_revenue_by_rep_month.won_revenue, 0) as won_revenue
    from rep_months
    left join months_with_open_deal
        on rep_months.rep_id = months_with_open_deal.rep_id
        and rep_months.month_start = months_with_open_deal.month_start
    left join months_with_content
        on rep_months.rep_id = months_with_content.rep_id
        and rep_months.month_start = months_with_content.month_start
    left join won_revenue_by_rep_month
        on rep_months.rep_id = won_revenue_by_rep_month.rep_id
        and rep_months.month_start = won_revenue_by_rep_month.month_start
),

rep_status_by_scope as (
    select
        'rep' as scope,
        rep_id as scope_id,
        rep_id,
        month_start,
        revenue_quota,
        is_active,
        used_content,
        won_revenue
    from rep_month_status
    union all
    select
        'team' as scope,
        team_id as scope_id,
        rep_id,
        month_start,
        revenue_quota,
        is_active,
        used_content,
        won_revenue
    from rep_month_status
    union all
    select
        'company' as scope,
        'company' as scope_id,
        rep_id,
        month_start,
        revenue_quota,
        is_active,
        used_content,
        won_revenue
    from rep_month_status
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

-- Spine: every active scope-month, plus any scope-month that has an event -----------------

active_scope_months as (
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from scope_months
    {%- for fact in measures %}
    union
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from {{ fact }}_by_scope
    {%- endfor %}
),

scope_month_measures as (
    select
        active_scope_months.scope,
        active_scope_months.scope_id,
        active_scope_months.scope_name,
        active_scope_months.month_start,
        {%- for fact, columns in measures.items() %}
        {%- for column in columns %}
        {%- if column in nullable_measures %}
        {{ fact }}_by_scope.{{ column }},
        {%- else %}
        coalesce({{ fact }}_by_scope.{{ column }}, 0) as {{ column }},
        {%- endif %}
        {%- endfor %}
        {%- endfor %}
        1 as months_in_scope
    from active_scope_months
    {% for fact in measures -%}
    left join {{ fact }}_by_scope
        on active_scope_months.scope = {{ fact }}_by_scope.scope
        and active_scope_months.scope_id = {{ fact }}_by_scope.scope_id
        and active_scope_months.month_start = {{ fact }}_by_scope.month_start
    {% endfor -%}
),

period_measures as (
    {{ roll_up_to_periods(measures.values() | sum(start=[]) + ['months_in_scope']) }}
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
        on period_measures.period_grain = rep_counts.period_grain
        and period_measures.period_start = rep_counts.period_start
        and period_measures.scope = rep_counts.scope
        and period_measures.scope_id = rep_counts.scope_id
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
