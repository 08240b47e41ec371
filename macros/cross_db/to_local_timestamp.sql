{#- A UTC timestamp (without time zone) as wall-clock time in the reporting time zone
    (var reporting_timezone), still without time zone. -#}
{% macro to_local_timestamp(column, timezone=none) -%}
    {{ return(adapter.dispatch('to_local_timestamp', 'sales_kpi_warehouse')(column, timezone or var('reporting_timezone'))) }}
{%- endmacro %}

{% macro default__to_local_timestamp(column, timezone) -%}
    (({{ column }} at time zone 'UTC') at time zone {{ sql_string_literal(timezone) }})
{%- endmacro %}

{% macro spark__to_local_timestamp(column, timezone) -%}
    from_utc_timestamp({{ column }}, {{ sql_string_literal(timezone) }})
{%- endmacro %}
