{#- The raw CRM table `table_name` as the contract describes it (every column text).
    - 'seeds': source('crm', table_name), plus the dependency on the demo seed of that name, so
      `dbt build` loads the seed before any model reads it (a source alone gives dbt no ordering);
    - 'files' / 'warehouse': source('crm', table_name);
    - 'salesforce' / 'hubspot': the connector's adapter model adapter_<connector>__<table_name>
      for the tables it maps (connector_tables), else source('crm', table_name), which
      register_raw_files points at var('supplement_path') or makes an empty view. -#}
{% macro crm_source(table_name) -%}
    {%- set mode = var('input_mode') -%}
    {%- if mode == 'seeds' -%}
        {%- set seed_relation = ref(table_name) -%}
    {%- elif is_connector_mode() and table_name in connector_tables(mode) -%}
        {{ return(ref('adapter_' ~ mode ~ '__' ~ table_name)) }}
    {%- endif -%}
    {{ return(source('crm', table_name)) }}
{%- endmacro %}
