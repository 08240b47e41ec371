{#- The project's one percentage formula: 100 × numerator / denominator, 0–100 scale,
    rounded to 4 decimals; NULL when the denominator is 0 or NULL (never 0, never an error). -#}
{% macro pct(numerator, denominator) -%}
    cast(round(100 * {{ safe_divide(numerator, denominator) }}, 4) as decimal(18, 4))
{%- endmacro %}
