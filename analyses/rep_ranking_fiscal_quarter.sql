-- Rep ranking for one fiscal quarter: won revenue, quota attainment and win rate per rep,
-- ranked by attainment (reps without a quota last). Change the label to rank another quarter.

with

team_performance as (
    select * from {{ ref('kpi_team_performance') }}
),

rep_quarter as (
    select
        scope_id as rep_id,
        scope_name as rep_name,
        won_revenue,
        revenue_target,
        quota_attainment_pct,
        deals_won,
        deals_closed,
        win_rate_pct
    from team_performance
    where
        period_grain = 'fiscal_quarter'
        and period_label = 'FY2025 Q2'
        and scope = 'rep'
),

final as (
    select
        rank() over (
            order by case when quota_attainment_pct is null then 1 else 0 end asc, quota_attainment_pct desc
        ) as attainment_rank,
        rep_id,
        rep_name,
        won_revenue,
        revenue_target,
        quota_attainment_pct,
        deals_won,
        deals_closed,
        win_rate_pct
    from rep_quarter
)

select * from final
order by attainment_rank asc, rep_name asc
