-- One row per month per scope (rep, team, company) per product: won and lost deals, won revenue
-- and deals missing an FX rate by each deal's main product (KPI_CATALOGUE.md section A), built
-- from int_deals_enriched. A deal counts in its close month in the reporting time zone, for its
-- owner's team on that date, in the reporting currency; a deal with no product, or one not in
-- products, counts under the (unknown) product, so the product rows of a month and scope sum to
-- fct_kpi_team_performance_monthly's. Rows: every product a scope has closed a deal of, in every
-- month the scope is active (zero counts, not missing rows). kpi_team_performance_products rolls
-- these rows up to fiscal quarters and years; the semantic layer's `team_performance_products`
-- semantic model reads them directly.
{%- set measures = ['deals_won', 'deals_lost', 'won_revenue', 'deals_missing_fx_rate'] %}
{%- set product_columns = ['product_id', 'product_name', 'product_family'] %}

with

deal_closes as {{ cte_materialization(false) }} (
    select * from {{ ref('int_deal_closes') }}
),

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

reporting_months as (
    select month_start from {{ ref('int_period_months') }}
    where period_grain = 'month'
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
        month_start
    from scope_product_months
    inner join reporting_months
        using (month_start)
    left join measures_by_scope
        using (scope, scope_id, product_id, month_start)
),

final as (
    select
        {{ scope_month_columns() | indent(8) }},
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(product_name as {{ dbt.type_string() }}) as product_name,
        cast(product_family as {{ dbt.type_string() }}) as product_family,
        cast(deals_won as bigint) as deals_won,
        cast(deals_lost as bigint) as deals_lost,
        cast(deals_won + deals_lost as bigint) as deals_closed,
        cast(won_revenue as decimal(18, 2)) as won_revenue,
        cast(deals_missing_fx_rate as bigint) as deals_missing_fx_rate
    from scope_product_month_measures
)

select * from final
