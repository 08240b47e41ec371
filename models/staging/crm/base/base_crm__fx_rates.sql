-- One row per raw row of crm.fx_rates: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__fx_rates keeps the passing rows.
{%- set raw_columns = ['rate_month', 'currency_code', 'quote_currency', 'rate'] %}
{%- set key = ['rate_month_text', 'currency_code', 'quote_currency'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__rate_month_not_valid_date', 'invalid_number__rate_not_number',
    'out_of_range__rate_1_000_000_more_no_real', 'missing_amount__rate_empty',
    'negative_amount__rate_above_zero',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('fx_rates') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [
        clean_text('rate_month'), normalise_currency('currency_code'), normalise_currency('quote_currency'),
    ]) }}
),

typed as (
    select
        {{ clean_text('rate_month') }} as rate_month_text,
        {{ dbt.date_trunc('month', parse_date('rate_month')) }} as rate_month,
        {{ normalise_currency('currency_code') }} as currency_code,
        {{ normalise_currency('quote_currency') }} as quote_currency,
        {{ clean_text('rate') }} as rate_text,
        {{ try_cast(clean_text('rate'), 'decimal(18, 8)') }} as rate,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.rate_month_text,
        typed.rate_month,
        typed.currency_code,
        typed.quote_currency,
        typed.rate_text,
        typed.rate,
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case when typed.rate_month is null then 'rate_month is not a valid date' end as invalid_date__rate_month_not_valid_date,
        case
            when typed.rate_text is not null
                and not {{ matches_pattern('rate_text', number_shape()) }}
                then 'rate is not a number'
        end as invalid_number__rate_not_number,
        case
            when typed.rate_text is not null
                and {{ matches_pattern('rate_text', number_shape()) }}
                and (typed.rate is null or typed.rate >= 1000000)
                then 'rate is 1,000,000 or more: no real exchange rate is, and converted amounts would overflow'
        end as out_of_range__rate_1_000_000_more_no_real,
        case when typed.rate_text is null then 'rate is empty' end as missing_amount__rate_empty,
        case when typed.rate <= 0 then 'rate must be above zero' end as negative_amount__rate_above_zero
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
        key_checked.rate_month_text,
        key_checked.rate_month,
        key_checked.currency_code,
        key_checked.quote_currency,
        key_checked.rate,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
