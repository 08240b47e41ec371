{#- The raw rows an event base model (activities, email_events, deal_stage_history) reads in
    this run, as a whole select over `relation` (its raw rows). Full build: every raw row.
    Incremental run: every raw row of each key (`key`, a raw column) that has a row inside the
    late-arriving window (or no parsable `event_time`) and every keyless row (they are few,
    rejected as missing_key, and replaced as they were). Staging judges a row by its own table
    only, so no stored row depends on another table. The window is chosen on the raw key and
    event time alone, so the rest of the raw table is never typed or fingerprinted; all rows of
    a key are re-read together, so the de-duplication that follows sees what a full refresh
    sees. -#}
{% macro event_batch_rows(relation, key, event_time) -%}
    {%- if is_incremental() -%}
    select {{ relation }}.*
    from {{ relation }}
    left join (
        select distinct batch_key
        from (
            select
                {{ clean_text(key) }} as batch_key,
                {{ parse_timestamp(event_time) }} as event_time
            from {{ relation }}
        ) as raw_event_times
        where event_time is null or event_time >= {{ incremental_cutoff(event_time) }}
    ) as batch_keys
        on {{ clean_text(relation ~ '.' ~ key) }} = batch_keys.batch_key
    where {{ clean_text(relation ~ '.' ~ key) }} is null or batch_keys.batch_key is not null
    {%- else -%}
    select {{ relation }}.*
    from {{ relation }}
    {%- endif -%}
{%- endmacro %}
