{#- The raw text values of a row as a JSON object string, for rejected_rows, so a user sees
    exactly what the export held; NULL values are written as JSON null. DuckDB and PostgreSQL
    build it with their native JSON functions (at 8 M rows DuckDB's json_object costs about
    nothing, the portable concatenation ≈6 s); other engines (Spark) use the portable
    concatenation, which escapes backslashes and double quotes. There the two characters are
    written chr(92) (backslash) and chr(34) (double quote), never as string literals: a
    backslash is an escape character inside Spark's string literals but not inside DuckDB's or
    PostgreSQL's. The key order is the column order; the spacing differs by engine. -#}
{% macro raw_values_json(columns) -%}
    {{ return(adapter.dispatch('raw_values_json', 'sales_kpi_warehouse')(columns)) }}
{%- endmacro %}

{% macro duckdb__raw_values_json(columns) -%}
    {{ native_json_object('json_object', columns) }}
{%- endmacro %}

{% macro postgres__raw_values_json(columns) -%}
    {{ native_json_object('json_build_object', columns) }}
{%- endmacro %}

{#- `function_name('column', cast(column as text), …)` cast to text: DuckDB's json_object and
    PostgreSQL's json_build_object take the same alternating key/value arguments. -#}
{% macro native_json_object(function_name, columns) -%}
    {%- set pairs = [] -%}
    {%- for column in columns -%}
        {%- do pairs.append("'" ~ column ~ "', " ~ dbt.cast(column, dbt.type_string())) -%}
    {%- endfor -%}
    {{ dbt.cast(function_name ~ '(' ~ pairs | join(', ') ~ ')', dbt.type_string()) }}
{%- endmacro %}

{% macro default__raw_values_json(columns) -%}
    {%- set backslash = 'chr(92)' -%}
    {%- set quote = 'chr(34)' -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- set escaped = dbt.replace(dbt.replace(column, backslash, backslash ~ ' || ' ~ backslash), quote, backslash ~ ' || ' ~ quote) -%}
        {%- set key = ('{' if loop.first else ',') ~ '"' ~ column ~ '":' -%}
        {%- do parts.append("'" ~ key ~ "' || coalesce('\"' || " ~ escaped ~ " || '\"', 'null')") -%}
    {%- endfor -%}
    {{ parts | join(' || ') }} || '}'
{%- endmacro %}
