-- One row per period (month, fiscal quarter, fiscal year) per scope (rep, team, company) per
-- product: win rate, won revenue and deal size (KPI_CATALOGUE.md section A) by each deal's main
-- product. The additive parts per scope, product and month come from
-- fct_kpi_team_performance_products_monthly (same parts and formulas as kpi_team_performance);
-- here they are rolled up to each period grain, then divided.
{%- set measures = ['deals_won', 'deals_lost', 'won_revenue', 'deals_missing_fx_rate'] %}

with

products_monthly as (
    select
        *,
        period_start as month_start
    from {{ ref('fct_kpi_team_performance_products_monthly') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

period_measures as (
    {{ roll_up_to_periods(measures, 'products_monthly', ['product_id'], ['product_name', 'product_family']) | indent(4) }}
),

final as (
    select
        {{ period_scope_columns() | indent(8) }},
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(product_name as {{ dbt.type_string() }}) as product_name,
        cast(product_family as {{ dbt.type_string() }}) as product_family,
        cast(deals_won as bigint) as deals_won,
        cast(deals_lost as bigint) as deals_lost,
        cast(deals_won + deals_lost as bigint) as deals_closed,
        {{ pct('deals_won', 'deals_won + deals_lost') }} as win_rate_pct,
        cast(won_revenue as decimal(18, 2)) as won_revenue,
        cast(deals_missing_fx_rate as bigint) as deals_missing_fx_rate,
        cast({{ safe_divide('won_revenue', 'deals_won') }} as decimal(18, 2)) as average_deal_size
    from period_measures
)

select * from final
