{#- Change detection for the base models of the snapshot tables (deals, leads, accounts,
    contracts, reps), which a daily export replaces whole. Their `incremental_slice` for the
    replace_slice strategy, as a predicate on the key: a key is in the slice when the multiset
    of its raw rows' fingerprints (row_fingerprint() over the raw columns, stored on every base
    row, staged or rejected) differs between the export and the stored table — a changed, new or
    deleted row, or a copy added or removed — and every keyless row (rejected as missing_key,
    re-judged as they are). All rows of a key in the slice are re-read together, so the
    de-duplication sees what a full refresh sees; an unchanged key is never typed or checked
    again. Only the key and the fingerprint are compared: two narrow projections, EXCEPT ALL
    both ways.
    The model names its raw table, key column and raw columns in its config (snapshot_table,
    snapshot_key, snapshot_columns); `key_expression` is the key as the caller sees it (the
    model filters raw rows with clean_text(key); the strategy deletes by the stored key column).
    A changed mapping seed or judging variable changes no fingerprint: it needs a full refresh
    (docs/use-your-own-data.md). -#}
{% macro snapshot_slice(key_expression=none) -%}
    {%- set key = config.require('snapshot_key') -%}
    {%- set raw_relation = crm_source(config.require('snapshot_table')) -%}
    {%- set key_in_caller = key_expression or key -%}
    {%- set export_fingerprints -%}
        select
            {{ clean_text(key) }} as batch_key,
            {{ row_fingerprint(config.require('snapshot_columns')) }} as row_fingerprint
        from {{ raw_relation }}
    {%- endset -%}
    (
        {{ key_in_caller }} is null
        or {{ key_in_caller }} in (
            select changed_keys.batch_key
            from (
                select exported.batch_key
                from (
                    {{ export_fingerprints | indent(20) }}
                    except all
                    select {{ key }} as batch_key, row_fingerprint
                    from {{ this }}
                ) as exported
                union
                select stored.batch_key
                from (
                    select {{ key }} as batch_key, row_fingerprint
                    from {{ this }}
                    except all
                    {{ export_fingerprints | indent(20) }}
                ) as stored
            ) as changed_keys
            where changed_keys.batch_key is not null
        )
    )
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
