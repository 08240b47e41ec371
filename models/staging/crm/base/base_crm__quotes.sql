-- One row per raw row of crm.quotes: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__quotes keeps the passing rows.
{%- set raw_columns = [
    'quote_id', 'deal_id', 'rep_id', 'requested_at', 'delivered_at', 'quote_amount',
    'currency_code',
] %}
{%- set key = ['quote_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': '(requested_at is null and requested_at_text is not null) or (delivered_at is null and delivered_at_text is not null)', 'code': 'invalid_date', 'text': 'requested_at or delivered_at is not a valid timestamp'},
    {'when': 'requested_at_text is null', 'code': 'missing_value', 'text': 'requested_at is empty'},
    {'when': is_before('delivered_at', 'requested_at'), 'code': 'impossible_date', 'text': 'delivered_at is before requested_at'},
] + amount_checks('quote_amount', 'quote_amount_local', 'quote_amount_text') + [
    {'when': 'currency_code is null and quote_amount_local is not null', 'code': 'invalid_currency', 'text': 'currency_code is empty or not a 3-letter ISO code'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('quotes') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('quote_id')]) }}

typed as (
    select
        {{ clean_text('quote_id') }} as quote_id,
        {{ clean_text('deal_id') }} as deal_id,
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('requested_at') }} as requested_at_text,
        {{ parse_timestamp('requested_at') }} as requested_at,
        {{ clean_text('delivered_at') }} as delivered_at_text,
        {{ parse_timestamp('delivered_at') }} as delivered_at,
        {{ clean_text('quote_amount') }} as quote_amount_text,
        {{ try_cast(clean_text('quote_amount'), 'decimal(18, 2)') }} as quote_amount_local,
        {{ normalise_currency('currency_code') }} as currency_code,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.quote_id,
        typed.deal_id,
        typed.rep_id,
        typed.requested_at_text,
        typed.requested_at,
        typed.delivered_at_text,
        typed.delivered_at,
        typed.quote_amount_text,
        typed.quote_amount_local,
        typed.currency_code,
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.quote_id,
        flagged_rows.deal_id,
        flagged_rows.rep_id,
        flagged_rows.requested_at_text,
        flagged_rows.requested_at,
        flagged_rows.delivered_at_text,
        flagged_rows.delivered_at,
        flagged_rows.quote_amount_text,
        flagged_rows.quote_amount_local,
        flagged_rows.currency_code,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
