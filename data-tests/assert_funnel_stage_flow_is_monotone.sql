-- Over the whole history, deals flow down the funnel: every deal that advanced from a stage
-- entered the next stage (skipped stages count as entered), so for each company funnel stage the
-- deals that advanced from it never exceed the deals that entered the next one (the difference
-- is the deals whose first recorded stage is the next one). Checked on the monthly company rows
-- of kpi_growth_funnel_stages. Returns the offending stages.

with

funnel as (
    select * from {{ ref('kpi_growth_funnel_stages') }}
),

stage_totals as (
    select
        stage,
        stage_order,
        sum(stage_deals_entered) as deals_entered,
        sum(stage_deals_advanced) as deals_advanced
    from funnel
    where scope = 'company' and period_grain = 'month'
    group by stage, stage_order
),

with_next_stage as (
    select
        stage,
        stage_order,
        deals_entered,
        deals_advanced,
        lead(deals_entered) over (order by stage_order) as next_stage_deals_entered
    from stage_totals
),

final as (
    select * from with_next_stage
    where deals_advanced > coalesce(next_stage_deals_entered, deals_advanced)
)

select * from final
