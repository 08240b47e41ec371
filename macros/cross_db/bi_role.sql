{#- The read-only BI role that is granted the marts: var('bi_role'), else the environment
    variable DBT_BI_ROLE, else none (no grants). Used by the marts' `grants` config and by
    grant_marts_usage(); only PostgreSQL has roles among the project's engines. -#}
{% macro bi_role() -%}
    {{ return(var('bi_role', none) or env_var('DBT_BI_ROLE', '') or none) }}
{%- endmacro %}
