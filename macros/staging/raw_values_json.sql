{#- The raw text values of a row as a JSON object string, for rejected_rows, so a user sees
    exactly what the export held. Built with concatenation (portable); backslashes and double
    quotes are escaped; NULL values are written as JSON null. -#}
{% macro raw_values_json(columns) -%}
    {%- set backslash = "'" ~ "\\" ~ "'" -%}
    {%- set backslash_escaped = "'" ~ "\\\\" ~ "'" -%}
    {%- set quote = "'" ~ '"' ~ "'" -%}
    {%- set quote_escaped = "'" ~ '\\"' ~ "'" -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- set escaped = dbt.replace(dbt.replace(column, backslash, backslash_escaped), quote, quote_escaped) -%}
        {%- set key = ('{' if loop.first else ',') ~ '"' ~ column ~ '":' -%}
        {%- do parts.append("'" ~ key ~ "' || coalesce('\"' || " ~ escaped ~ " || '\"', 'null')") -%}
    {%- endfor -%}
    {{ parts | join(' || ') }} || '}'
{%- endmacro %}
