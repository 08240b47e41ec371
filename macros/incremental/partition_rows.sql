{#- The final select of an incremental model that replaces a slice of its rows: `select * from
    <rows>` everywhere except in an incremental run on Spark.

    DuckDB and PostgreSQL delete the slice (the model's `incremental_slice` predicate over the
    stored rows) and insert the new rows (replace_slice). Spark's parquet tables cannot delete
    rows: the table is partitioned by month (`partition_by`, the model's month column) and an
    incremental run overwrites whole partitions (insert_overwrite with dynamic partition
    overwrite, which replaces exactly the partitions the select has rows in). So on Spark the
    select returns every row of each month it touches:
    - the new rows (the rebuilt slice), and
    - the stored rows outside the slice that share a month with a new row or with a stored row of
      the slice, carried over unchanged.
    A month all of whose rows leave the slice and get no new row keeps its old partition. That
    happens when the as-of date moves back past the whole month (which
    guard_partitions_not_after_as_of() stops), or when every row of a month goes upstream (all
    the activities of a month, or all the leads created in it, deleted from the export), which
    needs `--full-refresh` (docs/engines.md).
    `rows`: the CTE of the new rows; `month_column`: the partition column (a date). A unit test
    (is_incremental overridden) gets the plain select on every engine: it checks the slice's new
    rows, which are the same everywhere. -#}
{% macro select_with_partition_rows(rows, month_column) -%}
    {#- a unit test renders the plain select: its `this` is a fixture, not a partitioned table -#}
    {%- if target.type == 'spark' and is_incremental() and model.resource_type != 'unit_test' -%}
    {%- set slice = context[config.require('incremental_slice')]() -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | join(',\n    ') -%}
    {%- set month_key = 'coalesce(' ~ month_column ~ ", cast('1900-01-01' as date))" %}
    {%- do guard_partitions_not_after_as_of(month_column) %}
select
    {{ columns }}
from {{ rows }}
union all
select
    {{ columns }}
from {{ this }}
where
    case when {{ slice }} then 0 else 1 end = 1
    and {{ month_key }} in (
        select {{ month_key }} from {{ rows }}
        union
        select {{ month_key }} from {{ this }}
        where {{ slice }}
    )
    {%- else -%}
select * from {{ rows }}
    {%- endif -%}
{%- endmacro %}

{#- The config of the models that replace a slice of their rows: replace_slice with the named
    slice macro on DuckDB and PostgreSQL, with an index on `key_column` (the column the slice
    names) on PostgreSQL; on Spark insert_overwrite of the month partitions named by
    `month_column` (select_with_partition_rows() supplies whole months). -#}
{% macro replace_slice_config(slice_macro, month_column, key_column) -%}
    {%- do return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite' if target.type == 'spark' else 'replace_slice',
        'incremental_slice': slice_macro,
        'partition_by': [month_column] if target.type == 'spark' else none,
        'indexes': replace_key_indexes([key_column]),
        'on_schema_change': 'fail',
    }) -%}
{%- endmacro %}

{#- The index an incremental model's delete looks its rows up by (`columns`: the key or date the
    slice names), on PostgreSQL: without it every run's delete scans the whole table. DuckDB
    plans the delete as a hash join and keeps no index (an ART index would slow every insert);
    Spark has none. Created with the table (a full build or --full-refresh). -#}
{% macro replace_key_indexes(columns) -%}
    {%- do return([{'columns': columns}] if target.type == 'postgres' else []) -%}
{%- endmacro %}

{#- Spark incremental runs only: stop when the stored table has a month after the month of
    var('as_of_date') (the as-of date moved back past a whole month). Those partitions would get no
    new row and keep their old rows, so the run asks for `--full-refresh` instead. -#}
{% macro guard_partitions_not_after_as_of(month_column) -%}
    {%- if execute -%}
        {%- set as_of_month = sql_string_literal(var('as_of_date')[:7] ~ '-01') -%}
        {%- set later = run_query(
            'select count(*) from ' ~ this ~ ' where ' ~ month_column ~ ' > cast(' ~ as_of_month ~ ' as date)'
        ).columns[0].values()[0] -%}
        {%- if later > 0 -%}
            {{ exceptions.raise_compiler_error(
                this ~ " holds months after as_of_date '" ~ var('as_of_date') ~ "' (the as-of date moved back):"
                ~ " on Spark an incremental run cannot empty those month partitions; rebuild it with"
                ~ " `dbt build --full-refresh -s " ~ this.identifier ~ "`"
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
