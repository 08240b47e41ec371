{#- A `YYYY-MM-DD HH:MM:SS` (or `T`-separated) UTC text as a timestamp without time zone;
    NULL when it does not parse. A bare date is read as midnight UTC. -#}
{% macro parse_timestamp(column) -%}
    case
        when {{ dbt.length(clean_text(column)) }} in (10, 16, 19)
            then {{ try_cast(dbt.replace(clean_text(column), "'T'", "' '"), dbt.type_timestamp()) }}
    end
{%- endmacro %}
