{#- The engine's own spelling of the time zone `name` (compared case-insensitively; the exact
    spelling wins), '' when the engine does not know it, or none when the engine has no list to
    ask (Spark: Java reads IANA names, checked by shape only in validate_vars). Runs a query:
    call it only when `execute`. -#}
{% macro engine_time_zone_name(name) -%}
    {{ return(adapter.dispatch('engine_time_zone_name', 'sales_kpi_warehouse')(name)) }}
{%- endmacro %}

{% macro default__engine_time_zone_name(name) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb__engine_time_zone_name(name) -%}
    {{ return(time_zone_name_from_list('pg_timezone_names()', name)) }}
{%- endmacro %}

{% macro postgres__engine_time_zone_name(name) -%}
    {{ return(time_zone_name_from_list('pg_timezone_names', name)) }}
{%- endmacro %}

{% macro time_zone_name_from_list(time_zone_list, name) -%}
    {%- set literal = sql_string_literal(name) -%}
    {%- set found = run_query(
        "select name from " ~ time_zone_list ~ " where lower(name) = lower(" ~ literal ~ ")"
        ~ " order by case when name = " ~ literal ~ " then 0 else 1 end, name limit 1"
    ).columns[0].values() -%}
    {{ return(found[0] if found | length > 0 else '') }}
{%- endmacro %}
