-- One row per month per scope (rep, team, company) per product:
-- the month rows of kpi_team_performance_products with their keys and additive parts only, the
-- table the semantic layer's `team_performance_products` semantic model reads.
-- MetricFlow sums measures over rows, so it must see a single period grain; fiscal quarters and
-- years come from the time spine's custom granularities, re-aggregated from these months.

with

kpi_team_performance_products as (
    select * from {{ ref('kpi_team_performance_products') }}
),

final as (
    select
        {{ dbt.concat(['scope', "':'", 'scope_id']) }} as scope_key,
        period_start,
        scope,
        scope_id,
        scope_name,
        product_id,
        product_name,
        product_family,
        deals_won,
        deals_lost,
        deals_closed,
        won_revenue,
        deals_missing_fx_rate
    from kpi_team_performance_products
    where period_grain = 'month'
)

select * from final
