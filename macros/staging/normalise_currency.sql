{#- An ISO 4217 currency code: trimmed, upper case; NULL when empty or not three characters. -#}
{% macro normalise_currency(column) -%}
    case
        when {{ dbt.length(clean_text(column)) }} = 3 then upper({{ clean_text(column) }})
    end
{%- endmacro %}
