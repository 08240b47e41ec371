{#- A hash of a row's raw values (NULL-safe, column-separated): equal for exact duplicate rows. -#}
{% macro row_fingerprint(columns) -%}
    {{ dbt.hash(row_fingerprint_text(columns)) }}
{%- endmacro %}

{#- The text row_fingerprint hashes: the values of `columns` (text expressions), NULL-safe and
    column-separated, so ('a', null) and (null, 'a') differ. -#}
{% macro row_fingerprint_text(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(" ~ column ~ ", '<null>')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
