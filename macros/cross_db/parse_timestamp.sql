{#- A `YYYY-MM-DD HH:MM[:SS]` (or `T`-separated) UTC text as a timestamp without time zone;
    NULL when it does not parse ('2025-02-30 10:00:00', '2025-13-01 09:00:00', 'n/a'). A bare
    date is read as midnight UTC. -#}
{% macro parse_timestamp(column) -%}
    {{ try_cast(dbt.replace(clean_text(column), "'T'", "' '"), dbt.type_timestamp()) }}
{%- endmacro %}
