{#- numerator / denominator as a double; NULL when the denominator is 0 or NULL. -#}
{% macro safe_divide(numerator, denominator) -%}
    case
        when {{ denominator }} <> 0
            then cast({{ numerator }} as {{ type_double() }}) / cast({{ denominator }} as {{ type_double() }})
    end
{%- endmacro %}
