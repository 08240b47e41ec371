{#- on-run-start hook (DuckDB; any input_mode). For each mapping seed whose file
    <mapping_path>/<seed>.csv exists, validate the file and register its rows as the view
    <target schema>_crm_mappings.<seed>: source_value normalised like the models normalise the
    CRM's values (normalise_code), every column typed like the seed (its column_types). mapping()
    merges the view with the shipped seed. A file that lacks a column of the seed, or holds an
    empty required value, a value outside the seed's accepted_values, a value that is not an
    integer or boolean where the seed has one, or the same normalised source_value twice, stops
    the run with the file, column and value. A seed without a file: its stale view is dropped
    and the shipped seed is used. -#}
{% macro register_mapping_files() %}
    {%- if execute and var('mapping_path', none) -%}
        {%- if target.type != 'duckdb' -%}
            {{ exceptions.raise_compiler_error(
                "var('mapping_path') (your own mapping files) is supported on duckdb only; on " ~ target.type
                ~ " set it to null and add your rows to the seeds in seeds/config/.") }}
        {%- endif -%}
        {%- set schema_relation = api.Relation.create(database=target.database or none, schema=target.schema ~ '_crm_mappings') -%}
        {%- do adapter.create_schema(schema_relation) -%}
        {%- for seed_name in ['map_deal_stages', 'map_deal_types', 'map_activity_types', 'map_lead_statuses'] -%}
            {%- do register_mapping_file(seed_name) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}

{% macro register_mapping_file(seed_name) %}
    {%- set file_path = mapping_file_path(seed_name) -%}
    {%- set relation = mapping_user_relation(seed_name) -%}
    {%- if not mapping_file_exists(file_path) -%}
        {%- do run_query("drop view if exists " ~ relation) -%}
        {{ log("Mapping " ~ seed_name ~ ": no " ~ file_path ~ ", the shipped seed is used.", info=true) }}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = mapping_seed_node(seed_name) -%}
    {%- set column_types = node.config.column_types -%}
    {%- set reader = duckdb_file_reader([sql_string_literal(file_path)], 'csv') -%}
    {%- set present = run_query("select column_name from (describe select * from " ~ reader ~ ")").columns[0].values() | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for column in column_types if column not in present -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "Mapping file " ~ file_path ~ " lacks the columns: " ~ missing | join(', ') ~ ". Its header must be "
            ~ column_types.keys() | join(',') ~ " (like seeds/config/" ~ seed_name ~ ".csv).") }}
    {%- endif -%}
    {%- set problems = run_query(mapping_file_problems_sql(node, reader)) -%}
    {%- if problems.rows | length > 0 -%}
        {%- set lines = [] -%}
        {%- for row in problems.rows -%}
            {%- do lines.append("  column " ~ row[0] ~ ", value '" ~ (row[1] if row[1] is not none else '') ~ "' (source_value '"
                ~ (row[2] if row[2] is not none else '') ~ "'): " ~ row[3]) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            "Mapping file " ~ file_path ~ " has invalid rows (fix them, or delete the file to use the shipped seed):\n"
            ~ lines | join('\n')) }}
    {%- endif -%}
    {%- set selected = [] -%}
    {%- for column, data_type in column_types.items() -%}
        {%- do selected.append(mapping_typed_value(column, data_type, node) ~ " as " ~ column) -%}
    {%- endfor -%}
    {%- do run_query("create or replace view " ~ relation ~ " as select " ~ selected | join(', ') ~ " from " ~ reader) -%}
    {{ log("Mapping " ~ seed_name ~ ": the rows of " ~ file_path ~ " extend the shipped seed.", info=true) }}
{% endmacro %}

{#- The values the seed's accepted_values test allows in `column`, or none. -#}
{% macro mapping_accepted_values(node, column) %}
    {%- for test in graph.nodes.values()
        if test.resource_type == 'test' and test.attached_node == node.unique_id and test.column_name == column
        and test.test_metadata and test.test_metadata.name == 'accepted_values' -%}
        {{ return(test.test_metadata.kwargs['values']) }}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}

{#- Columns the seed's not_null tests require (source_value always). -#}
{% macro mapping_required_columns(node) %}
    {%- set required = ['source_value'] -%}
    {%- for test in graph.nodes.values()
        if test.resource_type == 'test' and test.attached_node == node.unique_id
        and test.test_metadata and test.test_metadata.name == 'not_null' and test.column_name not in required -%}
        {%- do required.append(test.column_name) -%}
    {%- endfor -%}
    {{ return(required) }}
{% endmacro %}

{#- A user's value typed like the seed's column: source_value normalised; accepted-value
    columns trimmed and lower case; integers and booleans parsed; other text trimmed. -#}
{% macro mapping_typed_value(column, data_type, node) %}
    {%- set type_name = data_type | lower -%}
    {%- if column == 'source_value' -%}
        {{ return(normalise_code(column)) }}
    {%- elif type_name == 'boolean' -%}
        {{ return(parse_boolean(column)) }}
    {%- elif type_name in ('integer', 'int', 'bigint') -%}
        {{ return("cast(" ~ clean_text(column) ~ " as " ~ data_type ~ ")") }}
    {%- elif mapping_accepted_values(node, column) is not none -%}
        {{ return("lower(" ~ clean_text(column) ~ ")") }}
    {%- endif -%}
    {{ return(clean_text(column)) }}
{% endmacro %}

{#- One query listing every problem of the user's file: (column, value, source_value, problem). -#}
{% macro mapping_file_problems_sql(node, reader) %}
    {%- set required = mapping_required_columns(node) -%}
    {%- set checks = [] -%}
    {%- for column, data_type in node.config.column_types.items() -%}
        {%- set value = clean_text(column) -%}
        {%- set type_name = data_type | lower -%}
        {%- set accepted = mapping_accepted_values(node, column) -%}
        {%- if column in required -%}
            {%- do checks.append({'column': column, 'when': (normalise_code(column) if column == 'source_value' else value) ~ ' is null', 'problem': 'is empty; every row needs a ' ~ column}) -%}
        {%- endif -%}
        {%- if type_name == 'boolean' -%}
            {%- do checks.append({'column': column, 'when': value ~ ' is not null and ' ~ parse_boolean(column) ~ ' is null', 'problem': 'is not a boolean (true/false)'}) -%}
        {%- elif type_name in ('integer', 'int', 'bigint') -%}
            {%- do checks.append({'column': column, 'when': value ~ ' is not null and ' ~ try_cast(value, 'integer') ~ ' is null', 'problem': 'is not a whole number'}) -%}
        {%- endif -%}
        {%- if accepted is not none -%}
            {%- set literals = [] -%}
            {%- for allowed in accepted -%}
                {%- do literals.append(sql_string_literal(allowed)) -%}
            {%- endfor -%}
            {%- do checks.append({'column': column, 'when': value ~ ' is not null and lower(' ~ value ~ ') not in (' ~ literals | join(', ') ~ ')',
                'problem': 'is not one of ' ~ accepted | join(', ')}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set problems_sql -%}
        with

        user_rows as (
            select * from {{ reader }}
        ),

        normalised as (
            select
                *,
                {{ normalise_code('source_value') }} as normalised_source_value
            from user_rows
        ),

        problems as (
            {%- for check in checks %}
                select
                    {{ sql_string_literal(check.column) }} as column_name,
                    cast({{ check.column }} as {{ dbt.type_string() }}) as value,
                    source_value,
                    {{ sql_string_literal(check.problem) }} as problem
                from normalised
                where {{ check.when }}
                union all
            {%- endfor %}
                select
                    'source_value' as column_name,
                    normalised_source_value as value,
                    min(source_value) as source_value,
                    'appears ' || cast(count(*) as {{ dbt.type_string() }}) || ' times once normalised (lower case, _ and - as spaces); keep one row' as problem
                from normalised
                where normalised_source_value is not null
                group by normalised_source_value
                having count(*) > 1
        )

        select * from problems
        order by column_name, value
        limit 20
    {%- endset -%}
    {{ return(problems_sql) }}
{% endmacro %}
