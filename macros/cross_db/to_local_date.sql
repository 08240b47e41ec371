{#- The calendar date, in the reporting time zone, of a UTC timestamp: a deal closed at
    2025-03-31 23:30 UTC is dated 2025-04-01 in Asia/Tokyo. -#}
{% macro to_local_date(column, timezone=none) -%}
    cast({{ to_local_timestamp(column, timezone) }} as date)
{%- endmacro %}
