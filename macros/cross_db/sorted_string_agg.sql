{#- The values of a text expression in a group, sorted and joined with `delimiter` (a SQL string
    literal): the same text for the same set of values on every engine, whatever order the rows
    come in. dbt.listagg on DuckDB and PostgreSQL; Spark's listagg ignores the order (dbt-spark
    warns), so it sorts the collected array instead. -#}
{% macro sorted_string_agg(expression, delimiter) -%}
    {{ return(adapter.dispatch('sorted_string_agg', 'sales_kpi_warehouse')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__sorted_string_agg(expression, delimiter) -%}
    {{ dbt.listagg(expression, delimiter, 'order by ' ~ expression) }}
{%- endmacro %}

{% macro spark__sorted_string_agg(expression, delimiter) -%}
    array_join(array_sort(collect_list({{ expression }})), {{ delimiter }})
{%- endmacro %}
