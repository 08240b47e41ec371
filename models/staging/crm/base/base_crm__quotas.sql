-- One row per raw row of crm.quotas: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__quotas keeps the passing rows.
{%- set raw_columns = ['quota_id', 'rep_id', 'quota_month', 'quota_type', 'quota_value', 'currency_code'] %}
{%- set key = ['quota_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__quota_month_not_valid_date', 'missing_value__quota_month_empty',
    'invalid_value__quota_type_revenue_deals_won', 'invalid_number__quota_value_not_number',
    'out_of_range__quota_value_too_large', 'excess_precision__quota_value_more_than_2',
    'negative_amount__quota_value_negative', 'missing_amount__quota_value_empty',
    'invalid_currency__revenue_quota_needs_3_letter',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('quotas') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('quota_id')]) }}
),

typed as (
    select
        {{ clean_text('quota_id') }} as quota_id,
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('quota_month') }} as quota_month_text,
        {{ dbt.date_trunc('month', parse_date('quota_month')) }} as quota_month,
        lower({{ clean_text('quota_type') }}) as quota_type,
        {{ clean_text('quota_value') }} as quota_value_text,
        {{ try_cast(clean_text('quota_value'), 'decimal(18, 2)') }} as quota_value,
        {{ normalise_currency('currency_code') }} as currency_code,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.quota_id,
        typed.rep_id,
        typed.quota_month_text,
        typed.quota_month,
        typed.quota_type,
        typed.quota_value_text,
        typed.quota_value,
        typed.currency_code,
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when typed.quota_month is null and typed.quota_month_text is not null
                then 'quota_month is not a valid date'
        end as invalid_date__quota_month_not_valid_date,
        case when typed.quota_month_text is null then 'quota_month is empty' end as missing_value__quota_month_empty,
        case
            when typed.quota_type is null
                or typed.quota_type not in ('revenue', 'deals_won', 'new_accounts')
                then 'quota_type must be revenue, deals_won or new_accounts'
        end as invalid_value__quota_type_revenue_deals_won,
        case
            when typed.quota_value_text is not null
                and not {{ matches_pattern('quota_value_text', number_shape()) }}
                then 'quota_value is not a number'
        end as invalid_number__quota_value_not_number,
        case
            when typed.quota_value_text is not null
                and {{ matches_pattern('quota_value_text', number_shape()) }}
                and (typed.quota_value is null or abs(typed.quota_value) >= 10000000000000)
                then 'quota_value is too large for the warehouse (10000000000000 or more in absolute value)'
        end as out_of_range__quota_value_too_large,
        case
            when typed.quota_value <> {{ try_cast('quota_value_text', 'decimal(38, 18)') }}
                then 'quota_value has more than 2 decimal places; the warehouse stores 2 and does not round'
        end as excess_precision__quota_value_more_than_2,
        case when typed.quota_value < 0 then 'quota_value is negative' end as negative_amount__quota_value_negative,
        case when typed.quota_value_text is null then 'quota_value is empty' end as missing_amount__quota_value_empty,
        case
            when typed.quota_type = 'revenue' and typed.currency_code is null
                then 'a revenue quota needs a 3-letter currency_code'
        end as invalid_currency__revenue_quota_needs_3_letter
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
        key_checked.quota_id,
        key_checked.rep_id,
        key_checked.quota_month,
        key_checked.quota_type,
        key_checked.quota_value,
        key_checked.currency_code,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
