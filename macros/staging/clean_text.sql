{#- Trimmed text, with empty strings turned into NULL. -#}
{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}
