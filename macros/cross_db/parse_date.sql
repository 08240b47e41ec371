{#- A `YYYY-MM-DD` text as a date; NULL when it is not a real calendar date in that format
    ('2025-02-30', '31/01/2025', '2025-3-1' are NULL on every engine). -#}
{% macro parse_date(column) -%}
    {{ try_cast(clean_text(column), 'date') }}
{%- endmacro %}
