{#- A row's key as one text value: the key column, or several joined with ' / ' (NULL → ''). -#}
{% macro record_key(key_columns) -%}
    {%- if key_columns | length == 1 -%}
        {{ key_columns[0] }}
    {%- else -%}
        {%- set parts = [] -%}
        {%- for column in key_columns -%}
            {%- do parts.append("coalesce(" ~ column ~ ", '')") -%}
            {%- if not loop.last %}{% do parts.append("' / '") %}{% endif -%}
        {%- endfor -%}
        {{ dbt.concat(parts) }}
    {%- endif -%}
{%- endmacro %}
