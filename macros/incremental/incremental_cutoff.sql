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

{#- Config of the base models of the append-mostly event tables: incremental (delete+insert
    on batch_key, the row's key or, for a keyless row, its fingerprint) where the adapter can
    replace a set of keys; a plain table on Spark, whose parquet tables only overwrite. -#}
{% macro event_base_materialization() -%}
    {{ return('table' if target.type == 'spark' else 'incremental') }}
{%- endmacro %}

{#- The `raw_event_times`, `batch_keys` and `batch_rows` CTEs of an incremental event base model, after its
    `source_rows` CTE and before it types anything: `batch_rows` are the raw rows this run
    reads. Full build: every raw row. Incremental run: every raw row of each key that has a row
    inside the late-arriving window (or no parsable `event_time`) and every keyless row (they
    are few, rejected as missing_key, and replaced as they were). Staging judges a row by its
    own table only (references are resolved in the intermediate layer), so no stored row
    depends on another table. The window is chosen on the raw key and event time alone, so the
    rest of the raw table is never typed or fingerprinted; all rows of a key are re-read
    together, so the de-duplication that follows sees what a full refresh sees. -#}
{% macro incremental_event_batch(key, event_time) -%}
{% if is_incremental() %}
raw_event_times as (
    select
        {{ clean_text(key) }} as batch_key,
        {{ parse_timestamp(event_time) }} as event_time
    from source_rows
),

batch_keys as (
    select distinct batch_key from raw_event_times
    where event_time is null or event_time >= {{ incremental_cutoff(event_time) }}
),

batch_rows as {{ cte_materialization(true) }} (
    select source_rows.* from source_rows
    left join batch_keys
        on {{ clean_text('source_rows.' ~ key) }} = batch_keys.batch_key
    where {{ clean_text('source_rows.' ~ key) }} is null or batch_keys.batch_key is not null
),
{% else %}
batch_rows as {{ cte_materialization(false) }} (
    select * from source_rows
),
{% endif %}
{%- endmacro %}
