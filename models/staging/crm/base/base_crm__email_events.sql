-- One row per raw row of crm.email_events: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__email_events keeps the passing rows.
{{ config(
    materialized=event_base_materialization(),
    unique_key='batch_key',
    incremental_strategy='delete+insert' if target.type != 'spark' else none,
    on_schema_change='fail',
) }}
{%- set raw_columns = ['email_event_id', 'email_id', 'rep_id', 'lead_id', 'event_type', 'occurred_at'] %}
{%- set checks = dedupe_checks(['email_event_id'], 'keyed') + [
    {'when': 'occurred_at is null and occurred_at_text is not null', 'code': 'invalid_date', 'text': 'occurred_at is not a valid timestamp'},
    {'when': 'occurred_at is null or email_id is null', 'code': 'missing_value', 'text': 'occurred_at or email_id is empty'},
    {'when': "event_type is null or event_type not in ('sent', 'bounced', 'opened', 'clicked')", 'code': 'invalid_value', 'text': 'event_type must be sent, bounced, opened or clicked'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('email_events') }}
),

{{ incremental_event_batch('email_event_id', 'occurred_at') }}

-- Flagged within the key (for a keyless row: its own fingerprint, as batch_key below), so no
-- row's flags depend on which other rows a run happened to read.
{{ flag_duplicate_rows('batch_rows', raw_columns, [clean_text('email_event_id')], keyless_by_fingerprint=true) }}

typed as (
    select
        {{ clean_text('email_event_id') }} as email_event_id,
        {{ clean_text('email_id') }} as email_id,
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('lead_id') }} as lead_id,
        lower({{ clean_text('event_type') }}) as event_type,
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ parse_timestamp('occurred_at') }} as occurred_at,
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

keyed as (
    select
        typed.*,
        coalesce(typed.email_event_id, {{ dbt.concat(["'#'", 'typed.row_fingerprint']) }}) as batch_key
    from typed
),

validated as (
    select
        keyed.email_event_id,
        keyed.email_id,
        keyed.rep_id,
        keyed.lead_id,
        keyed.event_type,
        keyed.occurred_at_text,
        keyed.occurred_at,
        {{ base_audit_columns('keyed', checks) }},
        keyed.batch_key,
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from keyed
)

select * from validated
