-- One row per raw row of crm.email_events: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__email_events keeps the passing rows.
{{ config(
    materialized=event_base_materialization(),
    unique_key='batch_key',
    incremental_strategy='delete+insert' if target.type != 'spark' else none,
    on_schema_change='fail',
) }}
{%- set raw_columns = ['email_event_id', 'email_id', 'rep_id', 'lead_id', 'event_type', 'occurred_at'] %}
{%- set key = ['email_event_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': 'occurred_at is null and occurred_at_text is not null', 'code': 'invalid_date', 'text': 'occurred_at is not a valid timestamp'},
    {'when': 'occurred_at_text is null or email_id is null', 'code': 'missing_value', 'text': 'occurred_at or email_id is empty'},
    {'when': "event_type is null or event_type not in ('sent', 'bounced', 'opened', 'clicked')", 'code': 'invalid_value', 'text': 'event_type must be sent, bounced, opened or clicked'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('email_events') }}
),

{{ incremental_event_batch('email_event_id', 'occurred_at') }}

{{ mark_repeated_keys('batch_rows', [clean_text('email_event_id')]) }}

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
        {{ row_check_columns('keyed', row_checks) }}
    from keyed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.email_event_id,
        flagged_rows.email_id,
        flagged_rows.rep_id,
        flagged_rows.lead_id,
        flagged_rows.event_type,
        flagged_rows.occurred_at_text,
        flagged_rows.occurred_at,
        flagged_rows.batch_key,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
