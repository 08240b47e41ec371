{#- Cast text to a type, NULL where the text does not parse (never an error).
    DuckDB and Spark have try_cast; other engines get their own variant. -#}
{% macro try_cast(column, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'sales_kpi_warehouse')(column, data_type)) }}
{%- endmacro %}

{% macro default__try_cast(column, data_type) -%}
    try_cast({{ column }} as {{ data_type }})
{%- endmacro %}
