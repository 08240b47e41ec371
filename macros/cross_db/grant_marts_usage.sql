{#- on-run-end hook: the BI role (var bi_role, else env DBT_BI_ROLE) may look inside the schemas
    of the public models (the marts) — `usage` on the schema; the tables themselves are granted
    `select` by the dbt `grants` config in dbt_project.yml. It gets nothing on any other schema,
    so staging, intermediate, data_quality and rejected rows stay out of its reach. PostgreSQL
    only: DuckDB has no roles, and Spark's grants belong to the catalogue of a real cluster. -#}
{% macro grant_marts_usage() -%}
    {{ return(adapter.dispatch('grant_marts_usage', 'sales_kpi_warehouse')()) }}
{%- endmacro %}

{% macro default__grant_marts_usage() -%}
    select 1 as no_schema_grants_on_this_engine
{%- endmacro %}

{% macro postgres__grant_marts_usage() -%}
    {%- set role = bi_role() -%}
    {%- set schemas = [] -%}
    {%- if execute and role -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.access == 'public' and node.schema not in schemas -%}
            {%- do schemas.append(node.schema) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for schema in schemas %}
    grant usage on schema {{ adapter.quote(schema) }} to {{ adapter.quote(role) }};
    {%- else %}
    select 1 as no_bi_role_configured
    {%- endfor %}
{%- endmacro %}
