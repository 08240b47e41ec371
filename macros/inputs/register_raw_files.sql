{#- on-run-start hook. In var('input_mode') == 'files' (and, in the connector modes, for the
    tables the connector does not map, from var('supplement_path'), or from the tables of
    var('supplement_schema'): register_raw_relation), expose every table of the `crm`
    source as a view over <raw_path>/<table>.<raw_file_format>, every column as contract text,
    so the models read a user's export in place (no copy). On DuckDB a table may also be a folder
    of files, <raw_path>/<table>/*.<raw_file_format> (one file per delivered batch, how appended
    data arrives for the incremental models), alone or next to the single file.
    - a missing file of a required table (source meta `required: true`) stops the run with its
      path; a missing optional file becomes an empty view with the contract's columns (warning);
    - a 0-byte or header-only file: an empty view (warning) if the table is optional, else stop;
    - a missing column whose column meta says `required: true` stops the run naming it and the
      file; any other missing column becomes a NULL text column (warning). Until the source YAML
      marks required columns, a table's first column (its key) is the required one;
    - extra columns are ignored; typed Parquet columns are turned into the contract's text
      formats (raw_value_as_text). Paths are written into SQL as literals (sql_string_literal),
      so a quote in var('raw_path') is safe. -#}
{% macro register_raw_files() %}
    {%- set mode = var('input_mode') -%}
    {%- if execute and (mode == 'files' or is_connector_mode()) -%}
        {%- if var('raw_file_format') not in ('csv', 'parquet') -%}
            {{ exceptions.raise_compiler_error(
                "var('raw_file_format') is '" ~ var('raw_file_format') ~ "'; use csv or parquet.") }}
        {%- endif -%}
        {%- set schema = crm_source_schema() | trim -%}
        {%- do adapter.create_schema(api.Relation.create(database=target.database or none, schema=schema)) -%}
        {%- set crm_tables = [] -%}
        {%- for node in graph.sources.values() if node.source_name == 'crm' -%}
            {%- do crm_tables.append(node) -%}
        {%- endfor -%}
        {%- set columns_marked = raw_columns_marked_required(crm_tables) -%}
        {#- connector modes: only the tables the connector lacks, from var('supplement_path')
            (files) or var('supplement_schema') (tables already in the warehouse) -#}
        {%- set folder = var('raw_path') if mode == 'files' else var('supplement_path', none) -%}
        {%- set supplement_schema = none if mode == 'files' else var('supplement_schema', none) -%}
        {%- set empty_tables = [] -%}
        {#- required tables first: a missing one stops the run before any view is created -#}
        {%- set required_tables, optional_tables = [], [] -%}
        {%- for node in crm_tables -%}
            {%- do (required_tables if raw_meta_value(node, 'required') is true else optional_tables).append(node) -%}
        {%- endfor -%}
        {%- set ordered = required_tables + optional_tables -%}
        {%- for node in ordered if node.identifier not in connector_tables(mode) -%}
            {%- set relation = api.Relation.create(database=target.database or none, schema=schema, identifier=node.identifier) -%}
            {%- set columns = node.columns.keys() | list -%}
            {%- set required_columns = raw_required_columns(node) if columns_marked else columns[:1] -%}
            {%- if supplement_schema -%}
                {%- set supplement = api.Relation.create(database=target.database or none, schema=supplement_schema, identifier=node.identifier) -%}
                {%- do register_raw_relation(relation, supplement, columns, required_columns) -%}
            {%- elif folder is none -%}
                {%- do raw_create_view(relation, columns, {}, none) -%}
                {%- do empty_tables.append(node.identifier) -%}
            {%- else -%}
                {%- set path = folder ~ '/' ~ node.identifier ~ '.' ~ var('raw_file_format') -%}
                {%- do register_raw_file(relation, path, columns, raw_meta_value(node, 'required') is true, required_columns) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if empty_tables -%}
            {{ log("input_mode '" ~ mode ~ "' maps " ~ connector_tables(mode) | join(', ')
                ~ " from the connector; vars supplement_path and supplement_schema are null, so these tables are empty: "
                ~ empty_tables | join(', ') ~ ".", info=true) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{#- meta[key] of a graph node or column, set either as `meta:` or as `config: meta:`. -#}
{% macro raw_meta_value(node, key) %}
    {%- set meta = node.get('meta') or {} -%}
    {%- set config_meta = (node.get('config') or {}).get('meta') or {} -%}
    {{ return(meta.get(key, config_meta.get(key))) }}
{% endmacro %}

{#- True once any column of the crm source says `required: true` or `false` in its meta. -#}
{% macro raw_columns_marked_required(crm_tables) %}
    {%- for node in crm_tables -%}
        {%- for column in node.columns.values() if raw_meta_value(column, 'required') is not none -%}
            {{ return(true) }}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(false) }}
{% endmacro %}

{% macro raw_required_columns(node) %}
    {%- set required = [] -%}
    {%- for name, column in node.columns.items() if raw_meta_value(column, 'required') is true -%}
        {%- do required.append(name) -%}
    {%- endfor -%}
    {{ return(required) }}
{% endmacro %}

{#- Connector modes with var('supplement_schema'): the view `relation` over the table
    `supplement` (a contract table someone loaded into the warehouse, typed or text), every
    column as contract text, on every engine. A table the schema lacks is an empty view
    (logged); a missing required column stops the run, a missing optional one is NULL. -#}
{% macro register_raw_relation(relation, supplement, columns, required_columns) %}
    {%- set present = {} -%}
    {%- for column in adapter.get_columns_in_relation(supplement) -%}
        {%- do present.update({column.name | lower: {'name': column.name, 'type': column.dtype}}) -%}
    {%- endfor -%}
    {%- if not present -%}
        {{ log("input_mode '" ~ var('input_mode') ~ "': var('supplement_schema') has no table "
            ~ supplement ~ ": " ~ relation.identifier ~ " is empty and the KPIs that need it are NULL.", info=true) }}
        {%- do raw_create_view(relation, columns, {}, none) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- do raw_check_columns(supplement ~ '', columns, present, required_columns) -%}
    {%- do raw_create_view(relation, columns, present, supplement) -%}
{% endmacro %}

{% macro register_raw_file(relation, path, columns, required, required_columns) %}
    {{ return(adapter.dispatch('register_raw_file', 'sales_kpi_warehouse')(relation, path, columns, required, required_columns)) }}
{% endmacro %}

{% macro default__register_raw_file(relation, path, columns, required, required_columns) %}
    {{ exceptions.raise_compiler_error(
        "input_mode 'files' is supported on duckdb and spark targets; on " ~ target.type
        ~ " load the files into tables and use input_mode 'warehouse'.") }}
{% endmacro %}

{% macro duckdb__register_raw_file(relation, path, columns, required, required_columns) %}
    {#- the single file and/or the folder of batch files, whichever exist -#}
    {%- set file_format = var('raw_file_format') -%}
    {%- set batches_glob = path.rsplit('.', 1)[0] ~ '/*.' ~ file_format -%}
    {%- set globs = [] -%}
    {%- for candidate in [path, batches_glob] -%}
        {%- if run_query("select count(*) from glob(" ~ sql_string_literal(candidate) ~ ")").columns[0].values()[0] > 0 -%}
            {%- do globs.append(sql_string_literal(candidate)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not globs -%}
        {%- if required -%}
            {{ exceptions.raise_compiler_error(
                "Required input file " ~ path ~ " (or folder " ~ batches_glob ~ ") was not found. Put the "
                ~ relation.identifier ~ " export there, or point var('raw_path') at the folder that holds it.") }}
        {%- endif -%}
        {{ log("WARNING: optional input " ~ path ~ " not found: " ~ relation.identifier
            ~ " is empty and the KPIs that need it are NULL.", info=true) }}
        {%- do raw_create_view(relation, columns, {}, none) -%}
        {{ return(none) }}
    {%- endif -%}
    {#- 0-byte files have no header (and are no valid Parquet): leave them out -#}
    {%- set sizes = run_query("select filename, size from read_blob([" ~ globs | join(', ') ~ "]) order by filename") -%}
    {%- set files = [] -%}
    {%- for row in sizes.rows if row[1] > 0 -%}
        {%- do files.append(sql_string_literal(row[0])) -%}
    {%- endfor -%}
    {%- if not files -%}
        {%- do raw_empty_input(relation, path, columns, required, 'is empty (0 bytes)') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set reader = duckdb_file_reader(files, file_format, columns) -%}
    {%- set described = run_query("select column_name, column_type from (describe select * from " ~ reader ~ ")") -%}
    {%- set present = {} -%}
    {%- for row in described.rows -%}
        {%- do present.update({row[0] | lower: {'name': row[0], 'type': row[1]}}) -%}
    {%- endfor -%}
    {%- set has_rows = run_query("select count(*) from (select 1 from " ~ reader ~ " limit 1) as first_row").columns[0].values()[0] > 0 -%}
    {%- if not has_rows -%}
        {%- do raw_empty_input(relation, path, columns, required, 'has no rows') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- do raw_check_columns(path, columns, present, required_columns) -%}
    {%- if file_format == 'csv' -%}
        {#- a row with more fields than the header gets unnamed columns column<N>; say so -#}
        {%- set unnamed = [] -%}
        {%- for name in present if modules.re.fullmatch('column[0-9]+', name) and name not in columns -%}
            {%- do unnamed.append(name) -%}
        {%- endfor -%}
        {%- if unnamed -%}
            {{ log("WARNING: " ~ path ~ " has rows with more fields than its header; the extra values ("
                ~ unnamed | join(', ') ~ ") are not read. Check the export's quoting.", info=true) }}
        {%- endif -%}
    {%- endif -%}
    {%- do raw_create_view(relation, columns, present, reader) -%}
{% endmacro %}

{#- The DuckDB table function reading `files` (a list of SQL string literals). CSV: the first
    line is the header, every value text; quoting is fixed (RFC 4180) and the delimiter is the
    one of `,` `;` tab `|` that splits the first file's header into the most of `columns` (the
    contract's; `,` on a tie or when none match) — the sniffer is not used, since a ragged row
    made it read the whole header as one column; a short row is padded with NULLs.
    parallel = false: DuckDB's parallel reader cannot pad a row when a quoted value holds a line
    break. Parquet: typed, converted per column later. -#}
{% macro duckdb_file_reader(files, file_format, columns=[]) %}
    {%- set file_list = '[' ~ files | join(', ') ~ ']' -%}
    {%- if file_format == 'parquet' -%}
        {{ return("read_parquet(" ~ file_list ~ ", union_by_name = true)") }}
    {%- endif -%}
    {%- set delimiter = csv_delimiter(files[0], columns) if columns else ',' -%}
    {{ return("read_csv(" ~ file_list ~ ", header = true, all_varchar = true, union_by_name = true,"
        ~ " delim = " ~ sql_string_literal(delimiter) ~ ", quote = '\"', escape = '\"', null_padding = true, parallel = false)") }}
{% endmacro %}

{#- The delimiter of the CSV file `file` (an SQL string literal; a glob reads its first file):
    the candidate whose split of the first line holds the most names of `columns`. The line is
    read as one column with no sniffing (the sniffer fails on a file its candidate does not
    fit), then split here. -#}
{% macro csv_delimiter(file, columns) %}
    {%- set first_line = run_query("select line from read_csv(" ~ file ~ ", header = false, auto_detect = false,"
        ~ " columns = {'line': 'VARCHAR'}, delim = chr(31), quote = '', escape = '', null_padding = true,"
        ~ " parallel = false) limit 1") -%}
    {%- set header = (first_line.rows[0][0] or '') if first_line.rows | length > 0 else '' -%}
    {%- set best = {'delimiter': ',', 'matches': 0} -%}
    {%- for candidate in [',', ';', '\t', '|'] -%}
        {%- set names = [] -%}
        {%- for value in header.split(candidate) -%}
            {%- do names.append(value.strip().strip('"').strip().lower().lstrip('\ufeff')) -%}
        {%- endfor -%}
        {%- set matches = names | select('in', columns) | list | length -%}
        {%- if matches > best.matches -%}
            {%- do best.update({'delimiter': candidate, 'matches': matches}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(best.delimiter) }}
{% endmacro %}

{#- An input that exists but holds no rows: an empty table if optional, else stop. -#}
{% macro raw_empty_input(relation, path, columns, required, what) %}
    {%- if required -%}
        {{ exceptions.raise_compiler_error(
            "Required input " ~ path ~ " " ~ what ~ ": " ~ relation.identifier ~ " must hold rows."
            ~ " Export the table again (with its header row) or point var('raw_path') at the right folder.") }}
    {%- endif -%}
    {{ log("WARNING: optional input " ~ path ~ " " ~ what ~ ": " ~ relation.identifier
        ~ " is empty and the KPIs that need it are NULL.", info=true) }}
    {%- do raw_create_view(relation, columns, {}, none) -%}
{% endmacro %}

{#- Stop on missing required columns; warn about missing optional ones (read as NULL).
    `present`: lower-case column name → {'name', 'type'} of the file's columns. -#}
{% macro raw_check_columns(path, columns, present, required_columns) %}
    {%- set missing_required = [] -%}
    {%- set missing_optional = [] -%}
    {%- for column in columns if column | lower not in present -%}
        {%- do (missing_required if column in required_columns else missing_optional).append(column) -%}
    {%- endfor -%}
    {%- if missing_required -%}
        {{ exceptions.raise_compiler_error(
            path ~ " lacks the required columns: " ~ missing_required | join(', ')
            ~ (" (and the optional " ~ missing_optional | join(', ') ~ ")" if missing_optional else "")
            ~ ". Add them to the export's header; see docs/input_contract.md for the columns each table needs.") }}
    {%- endif -%}
    {%- if missing_optional -%}
        {{ log("WARNING: " ~ path ~ " lacks the optional columns " ~ missing_optional | join(', ')
            ~ ": they are read as empty (NULL).", info=true) }}
    {%- endif -%}
{% endmacro %}

{#- create or replace the view `relation` with the contract's `columns` as text: from `reader`
    (a table function or relation) where the column is `present`, else NULL; no reader → an
    empty view. -#}
{% macro raw_create_view(relation, columns, present, reader) %}
    {%- set selected = [] -%}
    {%- for column in columns -%}
        {%- set found = present.get(column | lower) -%}
        {%- if found -%}
            {%- do selected.append(raw_value_as_text(adapter.quote(found.name), found.type) ~ " as " ~ column) -%}
        {%- else -%}
            {%- do selected.append("cast(null as " ~ dbt.type_string() ~ ") as " ~ column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set body = "select " ~ selected | join(', ') ~ (" from " ~ reader if reader else " where 1 = 0") -%}
    {%- if target.type == 'spark' -%}
        {%- do run_query("drop view if exists " ~ relation) -%}
    {%- endif -%}
    {%- do run_query("create or replace view " ~ relation ~ " as " ~ body) -%}
{% endmacro %}

{#- Spark: an external table over the file (header row, RFC 4180 quoting, every column as
    string; a short row is padded with NULLs; dropping it never touches the file), and the view
    over it with the contract's columns. Presence and size are checked by listing the folder
    (binaryFile), since a missing path is an error Jinja cannot catch. -#}
{% macro spark__register_raw_file(relation, path, columns, required, required_columns) %}
    {%- set file_format = var('raw_file_format') -%}
    {%- set folder = path.rsplit('/', 1)[0] -%}
    {%- set file_name = path.rsplit('/', 1)[1] -%}
    {%- set listed = run_query("select path, length from binaryFile.`" ~ folder | replace('`', '``') ~ "`") -%}
    {%- set matches = [] -%}
    {%- for row in listed.rows if row[0].endswith('/' ~ file_name) -%}
        {%- do matches.append(row) -%}
    {%- endfor -%}
    {%- if not matches -%}
        {%- if required -%}
            {{ exceptions.raise_compiler_error(
                "Required input file " ~ path ~ " was not found (Spark lists no 0-byte file). Put the " ~ relation.identifier
                ~ " export there, or point var('raw_path') at the folder that holds it.") }}
        {%- endif -%}
        {{ log("WARNING: optional input " ~ path ~ " not found (or 0 bytes): " ~ relation.identifier
            ~ " is empty and the KPIs that need it are NULL.", info=true) }}
        {%- do raw_create_view(relation, columns, {}, none) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if matches[0][1] == 0 -%}
        {%- do raw_empty_input(relation, path, columns, required, 'is empty (0 bytes)') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set file_relation = api.Relation.create(schema=relation.schema, identifier=relation.identifier ~ '__file') -%}
    {#- the listed path is absolute: a relative one would be read from the table's location -#}
    {%- set options = "path " ~ sql_string_literal(matches[0][0]) -%}
    {%- if file_format == 'csv' -%}
        {%- set options = options ~ ", header 'true', multiLine 'true', quote '\"', escape '\"', mode 'PERMISSIVE'" -%}
    {%- endif -%}
    {%- do run_query("drop view if exists " ~ relation) -%}
    {%- do run_query("drop table if exists " ~ file_relation) -%}
    {%- do run_query("create table " ~ file_relation ~ " using " ~ file_format ~ " options (" ~ options ~ ")") -%}
    {%- set present = {} -%}
    {%- for column in adapter.get_columns_in_relation(file_relation) -%}
        {%- do present.update({column.name | lower: {'name': column.name, 'type': column.dtype}}) -%}
    {%- endfor -%}
    {%- set has_rows = run_query("select count(*) from (select 1 from " ~ file_relation ~ " limit 1) as first_row").columns[0].values()[0] > 0 -%}
    {%- if not has_rows -%}
        {%- do raw_empty_input(relation, path, columns, required, 'has no rows') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- do raw_check_columns(path, columns, present, required_columns) -%}
    {%- do raw_create_view(relation, columns, present, file_relation) -%}
{% endmacro %}
