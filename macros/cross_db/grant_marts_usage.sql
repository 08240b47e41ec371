{#- on-run-end hook: the BI role (var bi_role, else env DBT_BI_ROLE) may look inside the schemas
    of the public models (the marts) — `usage` on the schema; the tables themselves are granted
    `select` by the dbt `grants` config in dbt_project.yml. It gets nothing on any other schema,
    so staging, intermediate, data_quality and rejected rows stay out of its reach. PostgreSQL
    only: DuckDB has no roles, and Spark's grants belong to the catalogue of a real cluster.
    Only schemas that exist are granted: a run that builds no mart (`dbt seed` alone, or
    `--select` of one staging model on a fresh database) has no marts schema yet, and the marts'
    own run grants it later. -#}
{% macro grant_marts_usage() -%}
    {{ return(adapter.dispatch('grant_marts_usage', 'sales_kpi_warehouse')()) }}
{%- endmacro %}

{% macro default__grant_marts_usage() -%}
    select 1 as no_schema_grants_on_this_engine
{%- endmacro %}

{% macro postgres__grant_marts_usage() -%}
    {%- set role = bi_role() -%}
    {%- set seen = [] -%}
    {%- set schemas = [] -%}
    {%- if execute and role -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.access == 'public' and node.schema not in seen -%}
            {%- do seen.append(node.schema) -%}
            {%- if adapter.check_schema_exists(node.database, node.schema) -%}
                {%- do schemas.append(node.schema) -%}
            {%- else -%}
                {%- do log('grant_marts_usage: schema ' ~ node.schema ~ ' does not exist yet (no mart built); the run that builds a mart grants usage on it to ' ~ role) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for schema in schemas %}
    grant usage on schema {{ adapter.quote(schema) }} to {{ adapter.quote(role) }};
    {%- else %}
    select 1 as no_marts_schema_to_grant
    {%- endfor %}
{%- endmacro %}
