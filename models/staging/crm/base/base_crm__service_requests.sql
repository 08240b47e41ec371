-- One row per raw row of crm.service_requests: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__service_requests keeps the passing rows.
{%- set raw_columns = ['request_id', 'account_id', 'rep_id', 'channel', 'opened_at', 'resolved_at', 'contact_count'] %}
{%- set key = ['request_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': '(opened_at is null and opened_at_text is not null) or (resolved_at is null and resolved_at_text is not null)', 'code': 'invalid_date', 'text': 'opened_at or resolved_at is not a valid timestamp'},
    {'when': 'opened_at_text is null', 'code': 'missing_value', 'text': 'opened_at is empty'},
    {'when': is_before('resolved_at', 'opened_at'), 'code': 'impossible_date', 'text': 'resolved_at is before opened_at'},
] + integer_checks('contact_count', 'contact_count', 'contact_count_text') + [
    {'when': 'contact_count < 0', 'code': 'negative_amount', 'text': 'contact_count is negative'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('service_requests') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('request_id')]) }}

typed as (
    select
        {{ clean_text('request_id') }} as request_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('rep_id') }} as rep_id,
        lower({{ clean_text('channel') }}) as channel,
        {{ clean_text('opened_at') }} as opened_at_text,
        {{ parse_timestamp('opened_at') }} as opened_at,
        {{ clean_text('resolved_at') }} as resolved_at_text,
        {{ parse_timestamp('resolved_at') }} as resolved_at,
        {{ clean_text('contact_count') }} as contact_count_text,
        {{ try_cast(clean_text('contact_count'), 'integer') }} as contact_count,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.request_id,
        typed.account_id,
        typed.rep_id,
        typed.channel,
        typed.opened_at_text,
        typed.opened_at,
        typed.resolved_at_text,
        typed.resolved_at,
        typed.contact_count_text,
        typed.contact_count,
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.request_id,
        flagged_rows.account_id,
        flagged_rows.rep_id,
        flagged_rows.channel,
        flagged_rows.opened_at_text,
        flagged_rows.opened_at,
        flagged_rows.resolved_at_text,
        flagged_rows.resolved_at,
        flagged_rows.contact_count_text,
        flagged_rows.contact_count,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
