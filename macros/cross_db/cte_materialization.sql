{#- The hint after `name as` in a CTE that is read more than once: materialized=false asks the
    engine to inline it (each reader scans its own source, so filters and column pruning reach
    the scan), materialized=true to compute it once. DuckDB and PostgreSQL take the hint
    (PostgreSQL 12+, DuckDB since 0.9); elsewhere it is empty and the engine decides (Spark
    inlines CTEs). Why it matters: DuckDB materialises a CTE read three times, and a
    materialised raw table is a full-width copy of every raw row. -#}
{% macro cte_materialization(materialized) -%}
    {{ return(adapter.dispatch('cte_materialization', 'sales_kpi_warehouse')(materialized)) }}
{%- endmacro %}

{% macro default__cte_materialization(materialized) -%}
{%- endmacro %}

{% macro duckdb__cte_materialization(materialized) -%}
    {{ 'materialized' if materialized else 'not materialized' }}
{%- endmacro %}

{% macro postgres__cte_materialization(materialized) -%}
    {{ 'materialized' if materialized else 'not materialized' }}
{%- endmacro %}
