-- One row per raw row of crm.quotes: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__quotes keeps the passing rows.
{%- set raw_columns = [
    'quote_id', 'deal_id', 'rep_id', 'requested_at', 'delivered_at', 'quote_amount',
    'currency_code',
] %}
{%- set key = ['quote_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__requested_at_delivered_at_not', 'missing_value__requested_at_empty',
    'impossible_date__delivered_at_before', 'invalid_number__quote_amount_not_number',
    'out_of_range__quote_amount_too_large', 'excess_precision__quote_amount_more_than_2',
    'negative_amount__quote_amount_negative', 'invalid_currency__currency_code_empty_not_3',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('quotes') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('quote_id')]) }}
),

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
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when (typed.requested_at is null and typed.requested_at_text is not null)
                or (typed.delivered_at is null and typed.delivered_at_text is not null)
                then 'requested_at or delivered_at is not a valid timestamp'
        end as invalid_date__requested_at_delivered_at_not,
        case when typed.requested_at_text is null then 'requested_at is empty' end as missing_value__requested_at_empty,
        case
            when {{ is_before('delivered_at', 'requested_at') }}
                then 'delivered_at is before requested_at'
        end as impossible_date__delivered_at_before,
        case
            when typed.quote_amount_text is not null
                and not {{ matches_pattern('quote_amount_text', number_shape()) }}
                then 'quote_amount is not a number'
        end as invalid_number__quote_amount_not_number,
        case
            when typed.quote_amount_text is not null
                and {{ matches_pattern('quote_amount_text', number_shape()) }}
                and (typed.quote_amount_local is null or abs(typed.quote_amount_local) >= 10000000000000)
                then 'quote_amount is too large for the warehouse (10000000000000 or more in absolute value)'
        end as out_of_range__quote_amount_too_large,
        case
            when typed.quote_amount_local <> {{ try_cast('quote_amount_text', 'decimal(38, 18)') }}
                then 'quote_amount has more than 2 decimal places; the warehouse stores 2 and does not round'
        end as excess_precision__quote_amount_more_than_2,
        case when typed.quote_amount_local < 0 then 'quote_amount is negative' end as negative_amount__quote_amount_negative,
        case
            when typed.currency_code is null and typed.quote_amount_local is not null
                then 'currency_code is empty or not a 3-letter ISO code'
        end as invalid_currency__currency_code_empty_not_3
    from typed
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
        key_checked.quote_id,
        key_checked.deal_id,
        key_checked.rep_id,
        key_checked.requested_at,
        key_checked.delivered_at,
        key_checked.quote_amount_local,
        key_checked.currency_code,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
