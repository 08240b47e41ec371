{#- `value` as a single-quoted SQL string literal that reads back exactly as `value` on every
    engine: the way to put a project var or any other text into SQL (never '{{ value }}').
    DuckDB and PostgreSQL (standard_conforming_strings): a quote is written twice ('O''Brien'),
    a backslash is an ordinary character. Spark reads a backslash as an escape inside a literal
    (its documented way to write a quote is \'; older Spark read 'O''Brien' as the literals 'O'
    and 'Brien' run together), so there a backslash is doubled and a quote written \'.
    none → null. -#}
{% macro sql_string_literal(value) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- endif -%}
    {{ return(adapter.dispatch('sql_string_literal', 'sales_kpi_warehouse')(value ~ '')) }}
{%- endmacro %}

{% macro default__sql_string_literal(text) -%}
    {{ return("'" ~ text | replace("'", "''") ~ "'") }}
{%- endmacro %}

{% macro spark__sql_string_literal(text) -%}
    {{ return("'" ~ text | replace('\\', '\\\\') | replace("'", "\\'") ~ "'") }}
{%- endmacro %}
