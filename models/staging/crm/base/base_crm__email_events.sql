-- One row per raw row of crm.email_events: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__email_events keeps the passing rows.
{{ config(
    materialized=incremental_materialization(),
    unique_key='batch_key',
    indexes=replace_key_indexes(['batch_key']),
    incremental_strategy='delete+insert' if target.type != 'spark' else none,
    on_schema_change='fail',
) }}
{%- set raw_columns = ['email_event_id', 'email_id', 'rep_id', 'lead_id', 'event_type', 'occurred_at'] %}
{%- set key = ['email_event_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__occurred_at_not_valid', 'missing_value__occurred_at_email_id_empty',
    'invalid_value__event_type_sent_bounced_opened',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('email_events') }}
),

batch_rows as {{ cte_materialization(is_incremental()) }} (
    {{ event_batch_rows('source_rows', 'email_event_id', 'occurred_at') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('batch_rows', [clean_text('email_event_id')]) }}
),

typed as (
    select
        {{ clean_text('email_event_id') }} as email_event_id,
        {{ clean_text('email_id') }} as email_id,
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('lead_id') }} as lead_id,
        lower({{ clean_text('event_type') }}) as event_type,
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ parse_timestamp('occurred_at') }} as occurred_at,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

keyed as (
    select
        typed.*,
        coalesce(typed.email_event_id, {{ dbt.concat(["'#'", 'typed.row_fingerprint']) }}) as batch_key
    from typed
),

checked as {{ cte_materialization(false) }} (
    select
        keyed.email_event_id,
        keyed.email_id,
        keyed.rep_id,
        keyed.lead_id,
        keyed.event_type,
        keyed.occurred_at_text,
        keyed.occurred_at,
        keyed.batch_key,
        keyed.row_fingerprint,
        keyed.raw_values,
        keyed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when keyed.occurred_at is null and keyed.occurred_at_text is not null
                then 'occurred_at is not a valid timestamp'
        end as invalid_date__occurred_at_not_valid,
        case
            when keyed.occurred_at_text is null or keyed.email_id is null
                then 'occurred_at or email_id is empty'
        end as missing_value__occurred_at_email_id_empty,
        case
            when keyed.event_type is null
                or keyed.event_type not in ('sent', 'bounced', 'opened', 'clicked')
                then 'event_type must be sent, bounced, opened or clicked'
        end as invalid_value__event_type_sent_bounced_opened
    from keyed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (duplicate_flag).
deduplicated as (
    {{ deduplicate('checked', key, none, row_checks) }}
),

-- the key checks: the reason text when the row fails the check, else NULL
key_checked as (
    select
        deduplicated.*,
        {{ key_check_columns('deduplicated', key) }}
    from deduplicated
),

validated as (
    select
        key_checked.email_event_id,
        key_checked.email_id,
        key_checked.rep_id,
        key_checked.lead_id,
        key_checked.event_type,
        key_checked.occurred_at,
        key_checked.batch_key,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
