{#- The raw CRM table `table_name`: source('crm', table_name). In var('input_mode') 'seeds' it
    also declares the dependency on the demo seed of that name, so `dbt build` loads the seed
    before any model reads it (a source alone gives dbt no ordering). -#}
{% macro crm_source(table_name) -%}
    {%- if var('input_mode') == 'seeds' -%}
        {%- set seed_relation = ref(table_name) -%}
    {%- endif -%}
    {{ return(source('crm', table_name)) }}
{%- endmacro %}
