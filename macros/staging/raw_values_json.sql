{#- The raw text values of a row as a JSON object string, for rejected_rows, so a user sees
    exactly what the export held. Built with concatenation (portable); backslashes and double
    quotes are escaped; NULL values are written as JSON null. The two characters are written
    chr(92) (backslash) and chr(34) (double quote), never as string literals: a backslash is an
    escape character inside Spark's string literals but not inside DuckDB's or PostgreSQL's. -#}
{% macro raw_values_json(columns) -%}
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
