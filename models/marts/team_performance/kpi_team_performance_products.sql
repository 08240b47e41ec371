-- One row per period (month, fiscal quarter, fiscal year) per scope (rep, team, company) per
-- product: win rate, won revenue and deal size (KPI_CATALOGUE.md section A) by each deal's main
-- product. Same parts and formulas as kpi_team_performance: a deal counts in its close month in
-- the reporting time zone, for its owner's team on that date, in the reporting currency
-- (int_deals_enriched); parts are summed per scope and month, rolled up, then divided. A deal
-- with no product, or one not in products, counts under the (unknown) product, so the product
-- rows of a period and scope sum to kpi_team_performance's. Rows: every product a scope has
-- closed a deal of, in every month the scope is active (zero counts, not missing rows).
{%- set measures = ['deals_won', 'deals_lost', 'won_revenue', 'deals_missing_fx_rate'] %}
{%- set product_columns = ['product_id', 'product_name', 'product_family'] %}

with

deals as {{ cte_materialization(false) }} (
    select * from {{ ref('int_deals_enriched') }}
),

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

deal_closes as (
    select
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        owner_team_id as team_id,
        owner_team_name as team_name,
        product_id,
        product_name,
        product_family,
        closed_month as month_start,
        case when is_won then 1 else 0 end as deals_won,
        case when is_lost then 1 else 0 end as deals_lost,
        case when is_won then amount else 0 end as won_revenue,
        case when has_fx_rate then 0 else 1 end as deals_missing_fx_rate
    from deals
    where is_closed
),

measures_by_scope as (
    {{ expand_to_scopes('deal_closes', measures, dimensions=product_columns) }}
),

scope_products as (
    select distinct
        scope,
        scope_id,
        product_id,
        product_name,
        product_family
    from measures_by_scope
),

-- Spine: each scope's products in every month the scope is active, plus every month with a close
scope_product_months as (
    select
        scope_months.scope,
        scope_months.scope_id,
        scope_months.scope_name,
        scope_products.product_id,
        scope_products.product_name,
        scope_products.product_family,
        scope_months.month_start
    from scope_months
    inner join scope_products
        on scope_months.scope = scope_products.scope
        and scope_months.scope_id = scope_products.scope_id
    union
    select
        scope,
        scope_id,
        scope_name,
        product_id,
        product_name,
        product_family,
        month_start
    from measures_by_scope
),

scope_product_month_measures as (
    select
        scope_product_months.scope,
        scope_product_months.scope_id,
        scope_product_months.scope_name,
        scope_product_months.product_id,
        scope_product_months.product_name,
        scope_product_months.product_family,
        {%- for column in measures %}
        coalesce(measures_by_scope.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        scope_product_months.month_start
    from scope_product_months
    left join measures_by_scope
        on scope_product_months.scope = measures_by_scope.scope
        and scope_product_months.scope_id = measures_by_scope.scope_id
        and scope_product_months.product_id = measures_by_scope.product_id
        and scope_product_months.month_start = measures_by_scope.month_start
),

period_measures as (
    {{ roll_up_to_periods(measures, 'scope_product_month_measures', ['product_id'], ['product_name', 'product_family']) | indent(4) }}
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
