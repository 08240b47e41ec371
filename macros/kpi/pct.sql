{#- The project's one percentage formula: 100 × numerator / denominator, 0–100 scale,
    rounded to 4 decimals; NULL when the denominator is 0 or NULL (never 0, never an error).
    The quotient is made a decimal before rounding: PostgreSQL has no round(double, digits),
    and rounding a decimal gives the same digits on every engine. -#}
{% macro pct(numerator, denominator) -%}
    cast(round(cast(100 * {{ safe_divide(numerator, denominator) }} as decimal(38, 10)), 4) as decimal(18, 4))
{%- endmacro %}
