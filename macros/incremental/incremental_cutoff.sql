{#- The earliest event time an incremental run of this model re-reads: the newest event time
    already loaded (capped at var('as_of_date') so a future-dated row cannot push the watermark
    ahead) minus var('incremental_lookback_days') days — the late-arriving data window. Rows
    later than var('as_of_date') are therefore re-read on every run; an empty table re-reads
    everything. `staged_only` (default): count only rows with no reason_code — the base models
    keep rejected rows too; tables of staged rows only pass false. Only meaningful inside
    is_incremental(). -#}
{% macro incremental_cutoff(event_time, staged_only=true) -%}
    {%- set as_of_end = dbt.dateadd('day', 1, dbt.cast(sql_string_literal(var('as_of_date')), dbt.type_timestamp())) -%}
    coalesce(
        (
            select {{ dbt.dateadd('day', -1 * var('incremental_lookback_days') | int, 'max(' ~ event_time ~ ')') }}
            from {{ this }}
            where {% if staged_only %}reason_code is null and {% endif %}{{ event_time }} < {{ as_of_end }}
        ),
        {{ dbt.cast(dbt.string_literal('1900-01-01 00:00:00'), dbt.type_timestamp()) }}
    )
{%- endmacro %}

{#- The materialization of the incremental base models (events and snapshots), which replace
    rows by key: incremental where the adapter can delete a set of keys (DuckDB, PostgreSQL), a
    plain table on Spark, whose parquet tables only overwrite partitions. The intermediate
    models that replace slices are incremental on Spark too, by month (replace_slice_config). -#}
{% macro incremental_materialization() -%}
    {{ return('table' if target.type == 'spark' else 'incremental') }}
{%- endmacro %}

