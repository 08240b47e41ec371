{#- A vocabulary value normalised for lookup: lower case, '_' and '-' read as spaces,
    repeated spaces collapsed, trimmed; empty → NULL. "  Closed__WON " → "closed won". -#}
{% macro normalise_code(column) -%}
    nullif(
        trim(
            replace(replace(replace(replace(replace(lower({{ column }}), '_', ' '), '-', ' '), '    ', ' '), '  ', ' '), '  ', ' ')
        ),
        ''
    )
{%- endmacro %}
