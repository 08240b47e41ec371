{#- A `YYYY-MM-DD` text as a date; NULL when it is not a real calendar date in that format. -#}
{% macro parse_date(column) -%}
    case
        when {{ dbt.length(clean_text(column)) }} = 10
            then {{ try_cast(clean_text(column), 'date') }}
    end
{%- endmacro %}
