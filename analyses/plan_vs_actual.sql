-- Plan vs actual per fiscal quarter for the company (kpi_planning): the revenue goal (KGI) and
-- the deals, opportunities, leads and calls it requires at trailing rates, next to actuals.

with

planning as (
    select * from {{ ref('kpi_planning') }}
),

final as (
    select
        period_label,
        revenue_goal,
        won_revenue,
        revenue_goal_attainment_pct,
        required_deals,
        deals_won,
        deals_gap,
        required_opportunities,
        opportunities_created,
        required_leads,
        leads_created,
        required_calls,
        calls_made
    from planning
    where
        period_grain = 'fiscal_quarter'
        and scope = 'company'
)

select * from final
order by period_label asc
