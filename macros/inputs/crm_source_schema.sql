{#- Documented here, used in models/staging/crm/_crm__sources.yml (YAML cannot call macros,
    so the expression is repeated there): the schema that holds the raw CRM tables for the
    chosen var('input_mode'):
      seeds     → <target schema>_crm_raw   (the demo seeds)
      files     → <target schema>_crm_files (views over CSV/Parquet at var('raw_path'),
                                              created by register_raw_files at run start)
      warehouse → var('raw_schema')         (tables that already exist)
      salesforce, hubspot → <target schema>_crm_files (the tables the connector lacks: views over
                                              var('supplement_path'), or empty views) -#}
{% macro crm_source_schema() -%}
    {%- set mode = var('input_mode') -%}
    {%- if mode == 'seeds' -%} {{ target.schema ~ '_crm_raw' }}
    {%- elif mode in ('files', 'salesforce', 'hubspot') -%} {{ target.schema ~ '_crm_files' }}
    {%- elif mode == 'warehouse' -%} {{ var('raw_schema') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var('input_mode') is '" ~ mode ~ "'; use one of: seeds, files, warehouse, salesforce, hubspot.") }}
    {%- endif -%}
{%- endmacro %}
