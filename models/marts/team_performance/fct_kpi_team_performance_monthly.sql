-- One row per month per scope (rep, team, company):
-- the month rows of kpi_team_performance with their keys and additive parts only, the table
-- the semantic layer's `team_performance` semantic model reads.
-- MetricFlow sums measures over rows, so it must see a single period grain; fiscal quarters and
-- years come from the time spine's custom granularities, re-aggregated from these months.

with

kpi_team_performance as (
    select * from {{ ref('kpi_team_performance') }}
),

final as (
    select
        {{ dbt.concat(['scope', "':'", 'scope_id']) }} as scope_key,
        period_start,
        scope,
        scope_id,
        scope_name,
        won_revenue,
        revenue_target,
        deals_won_target,
        new_accounts_won,
        new_accounts_target,
        deals_won,
        deals_lost,
        deals_closed,
        closed_revenue,
        won_sales_cycle_days,
        calls_made,
        emails_sent,
        meetings_booked,
        meetings_held,
        selling_minutes,
        logged_minutes,
        qualified_opportunities,
        training_enrolments,
        training_completions,
        post_training_score_total,
        post_training_assessments,
        reassessment_score_total,
        reassessed_first_score_total,
        content_uses,
        deals_won_with_content,
        deals_closed_with_content,
        deals_won_without_content,
        deals_closed_without_content
    from kpi_team_performance
    where period_grain = 'month'
)

select * from final
