{#- An ISO 4217 currency code: trimmed, upper case; NULL when empty or not three letters. -#}
{% macro normalise_currency(column) -%}
    case
        when {{ matches_pattern(clean_text(column), '[A-Za-z]{3}') }} then upper({{ clean_text(column) }})
    end
{%- endmacro %}
