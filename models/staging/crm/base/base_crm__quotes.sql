-- One row per raw row of crm.quotes: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__quotes keeps the passing rows.
{%- set raw_columns = [
    'quote_id', 'deal_id', 'rep_id', 'requested_at', 'delivered_at', 'quote_amount',
    'currency_code',
] %}
{%- set checks = dedupe_checks(['quote_id'], 'typed') + [
    {'when': '(requested_at is null and requested_at_text is not null) or (delivered_at is null and delivered_at_text is not null)', 'code': 'invalid_date', 'text': 'requested_at or delivered_at is not a valid timestamp'},
    {'when': 'requested_at_text is null', 'code': 'missing_value', 'text': 'requested_at is empty'},
    {'when': is_before('delivered_at', 'requested_at'), 'code': 'impossible_date', 'text': 'delivered_at is before requested_at'},
    {'when': 'quote_amount_local is null and quote_amount_text is not null', 'code': 'invalid_number', 'text': 'quote_amount is not a number'},
    {'when': 'quote_amount_local < 0', 'code': 'negative_amount', 'text': 'quote_amount is negative'},
    {'when': 'currency_code is null and quote_amount_local is not null', 'code': 'invalid_currency', 'text': 'currency_code is empty or not a 3-letter ISO code'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('quotes') }}
),

{{ flag_duplicate_rows('source_rows', raw_columns, [clean_text('quote_id')]) }}

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
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

validated as (
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
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
