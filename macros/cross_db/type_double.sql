{#- A 64-bit floating point type on every engine (type_double() is 32-bit REAL on some). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'sales_kpi_warehouse')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
