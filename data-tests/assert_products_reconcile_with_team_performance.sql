-- The product rows of kpi_team_performance_products add up to kpi_team_performance: for every
-- period and scope (rep, team, company), the sum over products of deals won, lost and missing an
-- FX rate, and of won revenue, equals the scope's row. A deal with no product or an unknown one
-- counts under the (unknown) product, so no deal may be lost or counted twice. Returns the
-- mismatching period-scopes.
{%- set columns = ['deals_won', 'deals_lost', 'won_revenue', 'deals_missing_fx_rate'] %}

with

by_product as (
    select
        period_grain,
        period_start,
        scope,
        {%- for column in columns %}
        sum({{ column }}) as {{ column }},
        {%- endfor %}
        scope_id
    from {{ ref('kpi_team_performance_products') }}
    group by period_grain, period_start, scope, scope_id
),

team_performance as (
    select * from {{ ref('kpi_team_performance') }}
),

mismatches as (
    select
        coalesce(team_performance.period_grain, by_product.period_grain) as period_grain,
        coalesce(team_performance.period_start, by_product.period_start) as period_start,
        coalesce(team_performance.scope, by_product.scope) as scope,
        {%- for column in columns %}
        team_performance.{{ column }} as team_performance_{{ column }},
        by_product.{{ column }} as products_{{ column }},
        {%- endfor %}
        coalesce(team_performance.scope_id, by_product.scope_id) as scope_id
    from team_performance
    full outer join by_product
        on team_performance.period_grain = by_product.period_grain
        and team_performance.period_start = by_product.period_start
        and team_performance.scope = by_product.scope
        and team_performance.scope_id = by_product.scope_id
    where
        false
        {%- for column in columns %}
        or coalesce(team_performance.{{ column }}, 0) <> coalesce(by_product.{{ column }}, 0)
        {%- endfor %}
)

select * from mismatches
