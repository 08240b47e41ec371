{#- Change detection for the base models of the snapshot tables (deals, leads, accounts,
    contracts, reps), which a daily export replaces whole. Their `incremental_slice` for the
    replace_slice strategy, as a predicate on the key: a key is in the slice when the multiset
    of its raw rows' fingerprints (row_fingerprint() over the raw columns, stored on every base
    row, staged or rejected) differs between the export and the stored table — a changed, new or
    deleted row, or a copy added or removed — and every keyless row (rejected as missing_key,
    re-judged as they are). All rows of a key in the slice are re-read together, so the
    de-duplication sees what a full refresh sees; an unchanged key is never typed or checked
    again.
    - The select (`key_expression`: the raw key as the model reads it) compares the export's and
      the stored (key, fingerprint) pairs in one pass: counted +1 and -1, grouped, kept where the
      counts differ.
    - The delete (`temp_relation`: the rebuilt rows) names the same keys without hashing the
      export again: keys of the rebuilt rows, plus stored keys no longer in the export (deleted
      keys, which have no rebuilt rows: an anti-join, planned as a hash join by DuckDB and
      PostgreSQL alike), plus keyless rows.
    The model names its raw table, key column and raw columns in its config (snapshot_table,
    snapshot_key, snapshot_columns). A changed mapping seed or judging variable changes no
    fingerprint: it needs a full refresh (docs/use-your-own-data.md). -#}
{% macro snapshot_slice(key_expression=none, temp_relation=none) -%}
    {%- set key = config.require('snapshot_key') -%}
    {%- set raw_relation = crm_source(config.require('snapshot_table')) -%}
    {%- if temp_relation is not none -%}
    (
        {{ key }} is null
        or {{ key }} in (
            select rebuilt.{{ key }}
            from {{ temp_relation }} as rebuilt
            where rebuilt.{{ key }} is not null
        )
        or not exists (
            select 1
            from {{ raw_relation }} as exported
            where {{ clean_text('exported.' ~ key) }} = {{ this.identifier }}.{{ key }}
        )
    )
    {%- else -%}
    (
        {{ key_expression or key }} is null
        or {{ key_expression or key }} in (
            select both_sides.batch_key
            from (
                select
                    {{ clean_text(key) }} as batch_key,
                    {{ row_fingerprint(config.require('snapshot_columns')) }} as row_fingerprint,
                    1 as row_side
                from {{ raw_relation }}
                union all
                select
                    {{ key }} as batch_key,
                    row_fingerprint,
                    -1 as row_side
                from {{ this }}
            ) as both_sides
            where both_sides.batch_key is not null
            group by both_sides.batch_key, both_sides.row_fingerprint
            having sum(both_sides.row_side) <> 0
        )
    )
    {%- endif -%}
{%- endmacro %}

{#- The raw rows a snapshot base model reads in this run, as a whole select over `relation`
    (its raw rows): every raw row in a full build, the rows of snapshot_slice() in an
    incremental run. -#}
{% macro snapshot_batch_rows(relation, key) -%}
    select {{ relation }}.*
    from {{ relation }}
    {%- if is_incremental() %}
    where {{ snapshot_slice(clean_text(relation ~ '.' ~ key)) }}
    {%- endif -%}
{%- endmacro %}
