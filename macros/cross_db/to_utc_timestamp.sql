{#- A wall-clock timestamp (without time zone) in `timezone` as the UTC timestamp (still without
    time zone) of the same instant: the inverse of to_local_timestamp. 2025-04-01 00:00 in
    Asia/Tokyo is 2025-03-31 15:00 UTC. -#}
{% macro to_utc_timestamp(column, timezone) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'sales_kpi_warehouse')(column, timezone)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(column, timezone) -%}
    (({{ column }} at time zone {{ sql_string_literal(timezone) }}) at time zone 'UTC')
{%- endmacro %}

{% macro spark__to_utc_timestamp(column, timezone) -%}
    to_utc_timestamp({{ column }}, {{ sql_string_literal(timezone) }})
{%- endmacro %}
