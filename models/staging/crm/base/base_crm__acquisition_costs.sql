-- One row per raw row of crm.acquisition_costs: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__acquisition_costs keeps the passing rows.
{%- set raw_columns = ['cost_id', 'cost_month', 'category', 'amount', 'currency_code'] %}
{%- set key = ['cost_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__cost_month_not_valid_date', 'invalid_value__category_marketing_advertising',
    'invalid_number__amount_not_number', 'out_of_range__amount_too_large_warehouse',
    'excess_precision__amount_more_than_2_decimal', 'negative_amount__amount_negative',
    'missing_amount__amount_empty', 'invalid_currency__currency_code_empty_not_3',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('acquisition_costs') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('cost_id')]) }}
),

typed as (
    select
        {{ clean_text('cost_id') }} as cost_id,
        {{ dbt.date_trunc('month', parse_date('cost_month')) }} as cost_month,
        lower({{ clean_text('category') }}) as category,
        {{ clean_text('amount') }} as amount_text,
        {{ try_cast(clean_text('amount'), 'decimal(18, 2)') }} as amount_local,
        {{ normalise_currency('currency_code') }} as currency_code,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.cost_id,
        typed.cost_month,
        typed.category,
        typed.amount_text,
        typed.amount_local,
        typed.currency_code,
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case when typed.cost_month is null then 'cost_month is not a valid date' end as invalid_date__cost_month_not_valid_date,
        case
            when typed.category is null
                or typed.category not in ('marketing', 'advertising', 'sales_salaries', 'other')
                then 'category must be marketing, advertising, sales_salaries or other'
        end as invalid_value__category_marketing_advertising,
        case
            when typed.amount_text is not null
                and not {{ matches_pattern('amount_text', number_shape()) }}
                then 'amount is not a number'
        end as invalid_number__amount_not_number,
        case
            when typed.amount_text is not null
                and {{ matches_pattern('amount_text', number_shape()) }}
                and (typed.amount_local is null or abs(typed.amount_local) >= 10000000000000)
                then 'amount is too large for the warehouse (10000000000000 or more in absolute value)'
        end as out_of_range__amount_too_large_warehouse,
        case
            when typed.amount_local <> {{ try_cast('amount_text', 'decimal(38, 18)') }}
                then 'amount has more than 2 decimal places; the warehouse stores 2 and does not round'
        end as excess_precision__amount_more_than_2_decimal,
        case when typed.amount_local < 0 then 'amount is negative' end as negative_amount__amount_negative,
        case when typed.amount_text is null then 'amount is empty' end as missing_amount__amount_empty,
        case
            when typed.currency_code is null
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
        key_checked.cost_id,
        key_checked.cost_month,
        key_checked.category,
        key_checked.amount_local,
        key_checked.currency_code,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
