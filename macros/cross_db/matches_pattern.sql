{#- True when the whole text matches `pattern` (a regular expression; anchored here, so do not
    add ^ and $). Write patterns every engine reads the same: character classes, {n}, ?, |, ( ),
    and `[.]` instead of a backslash (backslash is an escape in Spark string literals). -#}
{% macro matches_pattern(column, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern', 'sales_kpi_warehouse')(column, pattern)) }}
{%- endmacro %}

{% macro default__matches_pattern(column, pattern) -%}
    regexp_full_match({{ column }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__matches_pattern(column, pattern) -%}
    ({{ column }} ~ '^({{ pattern }})$')
{%- endmacro %}

{% macro spark__matches_pattern(column, pattern) -%}
    ({{ column }} rlike '^({{ pattern }})$')
{%- endmacro %}
