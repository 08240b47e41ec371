{#- on-run-start hook. In var('input_mode') == 'files', expose every table of the `crm`
    source as a view over <raw_path>/<table>.<raw_file_format>, all columns as text, so the
    models read a user's export in place (no copy). On DuckDB a table may also be a folder of
    files, <raw_path>/<table>/*.<raw_file_format> (one file per delivered batch, how appended
    data arrives for the incremental models), alone or next to the single file.
    - a missing required file (source meta `required: true`) stops the run with its path;
    - a missing optional file becomes an empty view with the contract's columns (a warning
      is logged) and the KPIs that need it come out NULL;
    - a file that lacks contract columns stops the run naming them; extra columns are ignored. -#}
{% macro register_raw_files() %}
    {%- if execute and var('input_mode') == 'files' -%}
        {%- set schema = crm_source_schema() | trim -%}
        {%- do adapter.create_schema(api.Relation.create(database=target.database or none, schema=schema)) -%}
        {%- for node in graph.sources.values() if node.source_name == 'crm' -%}
            {%- set path = var('raw_path') ~ '/' ~ node.identifier ~ '.' ~ var('raw_file_format') -%}
            {%- set relation = api.Relation.create(database=target.database or none, schema=schema, identifier=node.identifier) -%}
            {%- set columns = node.columns.keys() | list -%}
            {%- do register_raw_file(relation, path, columns, node.meta.get('required', false)) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}

{% macro register_raw_file(relation, path, columns, required) %}
    {{ return(adapter.dispatch('register_raw_file', 'sales_kpi_warehouse')(relation, path, columns, required)) }}
{% endmacro %}

{% macro default__register_raw_file(relation, path, columns, required) %}
    {{ exceptions.raise_compiler_error(
        "input_mode 'files' is supported on duckdb and spark targets; on " ~ target.type
        ~ " load the files into tables and use input_mode 'warehouse'.") }}
{% endmacro %}

{% macro duckdb__register_raw_file(relation, path, columns, required) %}
    {#- the single file and/or the folder of batch files, whichever exist -#}
    {%- set batches_glob = path.rsplit('.', 1)[0] ~ '/*.' ~ var('raw_file_format') -%}
    {%- set globs = [] -%}
    {%- for candidate in [path, batches_glob] -%}
        {%- if run_query("select count(*) from glob('" ~ candidate ~ "')").columns[0].values()[0] > 0 -%}
            {%- do globs.append("'" ~ candidate ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set file_list = '[' ~ globs | join(', ') ~ ']' -%}
    {%- set reader = "read_parquet(" ~ file_list ~ ", union_by_name = true)" if var('raw_file_format') == 'parquet'
        else "read_csv(" ~ file_list ~ ", header = true, all_varchar = true, union_by_name = true)" -%}
    {%- set found = globs | length -%}
    {%- if found == 0 -%}
        {%- if required -%}
            {{ exceptions.raise_compiler_error(
                "Required input file " ~ path ~ " (or folder " ~ batches_glob ~ ") was not found. Put the "
                ~ relation.identifier ~ " export there, or point var('raw_path') at the folder that holds it.") }}
        {%- endif -%}
        {{ log("WARNING: optional input " ~ path ~ " not found: " ~ relation.identifier
            ~ " is empty and the KPIs that need it are NULL.", info=true) }}
        {%- set empty_columns = [] -%}
        {%- for column in columns -%}
            {%- do empty_columns.append("cast(null as " ~ dbt.type_string() ~ ") as " ~ column) -%}
        {%- endfor -%}
        {%- do run_query("create or replace view " ~ relation ~ " as select "
            ~ empty_columns | join(', ') ~ " where 1 = 0") -%}
    {%- else -%}
        {%- set present = run_query("select column_name from (describe select * from " ~ reader ~ ")")
            .columns[0].values() | map('lower') | list -%}
        {%- set missing = [] -%}
        {%- for column in columns if column not in present -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                path ~ " lacks the contract columns: " ~ missing | join(', ')
                ~ ". See docs/input_contract.md for the columns each table needs.") }}
        {%- endif -%}
        {%- set selected = [] -%}
        {%- for column in columns -%}
            {%- do selected.append("cast(" ~ column ~ " as " ~ dbt.type_string() ~ ") as " ~ column) -%}
        {%- endfor -%}
        {%- do run_query("create or replace view " ~ relation ~ " as select "
            ~ selected | join(', ') ~ " from " ~ reader) -%}
    {%- endif -%}
{% endmacro %}

{#- Spark: an external table over the file (header row, RFC 4180 quoting, every column as
    string; dropping it never touches the file), and the view over it with the contract's
    columns. Presence is checked by listing the folder (binaryFile), since a missing path is an
    error Jinja cannot catch. -#}
{% macro spark__register_raw_file(relation, path, columns, required) %}
    {%- set file_format = var('raw_file_format') -%}
    {%- set folder = path.rsplit('/', 1)[0] -%}
    {%- set file_name = path.rsplit('/', 1)[1] -%}
    {%- set listed = run_query("select path from binaryFile.`" ~ folder ~ "`").columns[0].values() -%}
    {%- set matches = [] -%}
    {%- for listed_path in listed if listed_path.endswith('/' ~ file_name) -%}
        {%- do matches.append(listed_path) -%}
    {%- endfor -%}
    {%- set found = matches | length > 0 -%}
    {%- if not found -%}
        {%- if required -%}
            {{ exceptions.raise_compiler_error(
                "Required input file " ~ path ~ " was not found. Put the " ~ relation.identifier
                ~ " export there, or point var('raw_path') at the folder that holds it.") }}
        {%- endif -%}
        {{ log("WARNING: optional input " ~ path ~ " not found: " ~ relation.identifier
            ~ " is empty and the KPIs that need it are NULL.", info=true) }}
        {%- set empty_columns = [] -%}
        {%- for column in columns -%}
            {%- do empty_columns.append("cast(null as " ~ dbt.type_string() ~ ") as " ~ column) -%}
        {%- endfor -%}
        {%- do run_query("create or replace view " ~ relation ~ " as select "
            ~ empty_columns | join(', ') ~ " where 1 = 0") -%}
    {%- else -%}
        {%- set file_relation = api.Relation.create(schema=relation.schema, identifier=relation.identifier ~ '__file') -%}
        {#- the listed path is absolute: a relative one would be read from the table's location -#}
        {%- set options = "path '" ~ matches[0] ~ "'" -%}
        {%- if file_format == 'csv' -%}
            {%- set options = options ~ ", header 'true', multiLine 'true', quote '\"', escape '\"'" -%}
        {%- endif -%}
        {%- do run_query("drop view if exists " ~ relation) -%}
        {%- do run_query("drop table if exists " ~ file_relation) -%}
        {%- do run_query("create table " ~ file_relation ~ " using " ~ file_format ~ " options (" ~ options ~ ")") -%}
        {%- set present = run_query("select * from " ~ file_relation ~ " limit 0").column_names | map('lower') | list -%}
        {%- set missing = [] -%}
        {%- for column in columns if column not in present -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                path ~ " lacks the contract columns: " ~ missing | join(', ')
                ~ ". See docs/input_contract.md for the columns each table needs.") }}
        {%- endif -%}
        {%- set selected = [] -%}
        {%- for column in columns -%}
            {%- do selected.append("cast(" ~ column ~ " as " ~ dbt.type_string() ~ ") as " ~ column) -%}
        {%- endfor -%}
        {%- do run_query("create or replace view " ~ relation ~ " as select "
            ~ selected | join(', ') ~ " from " ~ file_relation) -%}
    {%- endif -%}
{% endmacro %}
