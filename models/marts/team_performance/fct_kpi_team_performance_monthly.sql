-- One row per month per scope (rep, team, company) that was active in it or has an event in it:
-- the additive parts of the team-performance KPI family (KPI_CATALOGUE.md section A), built
-- from the event-level int_ models. Each event counts in the month it happened in the
-- reporting time zone, for the rep's team on that date. kpi_team_performance rolls these rows
-- up to fiscal quarters and years and divides; the semantic layer's `team_performance`
-- semantic model reads them directly (MetricFlow sums measures over one period grain).

with

deal_closes as {{ cte_materialization(false) }} (
    select * from {{ ref('int_deal_closes') }}
),

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

reporting_months as (
    select month_start from {{ ref('int_period_months') }}
    where period_grain = 'month'
),

-- Additive monthly facts, one CTE per event source ------------------------------------------

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

reporting_scope_months as (
    select
        active_scope_months.scope,
        active_scope_months.scope_id,
        active_scope_months.scope_name,
        active_scope_months.month_start
    from active_scope_months
    inner join reporting_months
        on active_scope_months.month_start = reporting_months.month_start
),

{%- set measures_by_scope = {} %}
{%- for fact, columns in measures.items() %}
{%- do measures_by_scope.update({fact ~ '_by_scope': columns}) %}
{%- endfor %}

scope_month_measures as (
    {{ join_measures_to_spine('reporting_scope_months', measures_by_scope, nullable_measures) | indent(4) }}
),

final as (
    select
        {{ scope_month_columns() | indent(8) }},
        cast(won_revenue as decimal(18, 2)) as won_revenue,
        cast(revenue_target as decimal(18, 2)) as revenue_target,
        cast(deals_won_target as decimal(18, 2)) as deals_won_target,
        cast(new_accounts_won as bigint) as new_accounts_won,
        cast(new_accounts_target as decimal(18, 2)) as new_accounts_target,
        cast(deals_won as bigint) as deals_won,
        cast(deals_lost as bigint) as deals_lost,
        cast(deals_won + deals_lost as bigint) as deals_closed,
        cast(closed_revenue as decimal(18, 2)) as closed_revenue,
        cast(won_sales_cycle_days as bigint) as won_sales_cycle_days,
        cast(calls_made as bigint) as calls_made,
        cast(emails_sent as bigint) as emails_sent,
        cast(meetings_booked as bigint) as meetings_booked,
        cast(meetings_held as bigint) as meetings_held,
        cast(selling_minutes as bigint) as selling_minutes,
        cast(logged_minutes as bigint) as logged_minutes,
        cast(qualified_opportunities as bigint) as qualified_opportunities,
        cast(training_enrolments as bigint) as training_enrolments,
        cast(training_completions as bigint) as training_completions,
        cast(post_training_score_total as decimal(18, 2)) as post_training_score_total,
        cast(post_training_assessments as bigint) as post_training_assessments,
        cast(reassessment_score_total as decimal(18, 2)) as reassessment_score_total,
        cast(reassessed_first_score_total as decimal(18, 2)) as reassessed_first_score_total,
        cast(content_uses as bigint) as content_uses,
        cast(deals_won_with_content as bigint) as deals_won_with_content,
        cast(deals_closed_with_content as bigint) as deals_closed_with_content,
        cast(deals_won - deals_won_with_content as bigint) as deals_won_without_content,
        cast(deals_won + deals_lost - deals_closed_with_content as bigint) as deals_closed_without_content,
        cast(deals_missing_fx_rate as bigint) as deals_missing_fx_rate,
        cast(value_added_calls as bigint) as value_added_calls
    from scope_month_measures
)

select * from final
