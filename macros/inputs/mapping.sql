{#- The vocabulary mapping `seed_name` (map_deal_stages, map_deal_types, map_activity_types,
    map_lead_statuses) to select from. Every model reads a mapping through this macro, never
    ref() directly, so a user's own mapping files apply everywhere at once.
    var('mapping_path') null: the shipped seed. Set, and <mapping_path>/<seed_name>.csv exists:
    the user's rows (registered and validated at run start by register_mapping_files, as the view
    <target schema>_crm_mappings.<seed_name>) plus the shipped rows whose normalised source_value
    the user did not map: the user's file extends the seed without forking it. Returned as a
    subquery, so `select * from {{ mapping('map_deal_stages') }}` works either way (DuckDB).
    Where the hook did not run (dbt compile, dbt show), the file is registered here. A unit test
    reads the seed's fixture, whatever mapping_path says. -#}
{% macro mapping(seed_name) -%}
    {%- set shipped = ref(seed_name) -%}
    {%- set mapping_path = var('mapping_path', none) -%}
    {#- a unit test gives the mapping as a fixture of the ref: use it -#}
    {%- if not execute or not mapping_path or model.resource_type == 'unit_test' -%}
        {{ return(shipped) }}
    {%- endif -%}
    {%- if target.type != 'duckdb' -%}
        {{ exceptions.raise_compiler_error(
            "var('mapping_path') (your own mapping files) is supported on duckdb only; on " ~ target.type
            ~ " set mapping_path to null and add your rows to seeds/config/" ~ seed_name ~ ".csv"
            ~ " (or load them into that seed's table).") }}
    {%- endif -%}
    {%- set file_path = mapping_file_path(seed_name) -%}
    {%- if not mapping_file_exists(file_path) -%}
        {{ return(shipped) }}
    {%- endif -%}
    {%- set user_rows = mapping_user_relation(seed_name) -%}
    {%- if adapter.get_relation(database=user_rows.database, schema=user_rows.schema, identifier=user_rows.identifier) is none -%}
        {#- the on-run-start hook did not run (dbt compile, dbt show) or is not configured -#}
        {%- do adapter.create_schema(api.Relation.create(database=user_rows.database, schema=user_rows.schema)) -%}
        {%- do register_mapping_file(seed_name) -%}
    {%- endif -%}
    {%- set columns = mapping_columns(seed_name) | join(', ') -%}
    {%- set merged -%}
        (
            select {{ columns }} from {{ user_rows }}
            union all
            select {{ columns }}
            from {{ shipped }} as shipped
            where not exists (
                select 1
                from {{ user_rows }} as user_rows
                where user_rows.source_value = {{ normalise_code('shipped.source_value') }}
            )
        )
    {%- endset -%}
    {{ return(merged) }}
{%- endmacro %}

{#- <mapping_path>/<seed_name>.csv -#}
{% macro mapping_file_path(seed_name) %}
    {{ return(var('mapping_path') | string ~ '/' ~ seed_name ~ '.csv') }}
{% endmacro %}

{% macro mapping_file_exists(file_path) %}
    {{ return(run_query("select count(*) from glob(" ~ sql_string_literal(file_path) ~ ")").columns[0].values()[0] > 0) }}
{% endmacro %}

{#- The view with the user's rows of `seed_name`: <target schema>_crm_mappings.<seed_name>. -#}
{% macro mapping_user_relation(seed_name) %}
    {{ return(api.Relation.create(database=target.database or none, schema=target.schema ~ '_crm_mappings', identifier=seed_name)) }}
{% endmacro %}

{#- The seed node of `seed_name` in the graph. -#}
{% macro mapping_seed_node(seed_name) %}
    {%- for node in graph.nodes.values() if node.resource_type == 'seed' and node.name == seed_name -%}
        {{ return(node) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("mapping('" ~ seed_name ~ "'): no seed of that name in seeds/config/.") }}
{% endmacro %}

{#- The seed's columns, in the order of its column_types (= its CSV header). -#}
{% macro mapping_columns(seed_name) %}
    {{ return(mapping_seed_node(seed_name).config.column_types.keys() | list) }}
{% endmacro %}
