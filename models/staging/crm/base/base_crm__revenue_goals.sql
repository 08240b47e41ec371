-- One row per raw row of crm.revenue_goals: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__revenue_goals keeps the passing rows.
{%- set raw_columns = ['goal_id', 'goal_month', 'team_id', 'goal_amount', 'currency_code'] %}
{%- set key = ['goal_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__goal_month_not_valid_date', 'invalid_number__goal_amount_not_number',
    'out_of_range__goal_amount_too_large', 'excess_precision__goal_amount_more_than_2',
    'negative_amount__goal_amount_negative', 'missing_amount__goal_amount_empty',
    'invalid_currency__currency_code_empty_not_3',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('revenue_goals') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('goal_id')]) }}
),

typed as (
    select
        {{ clean_text('goal_id') }} as goal_id,
        {{ dbt.date_trunc('month', parse_date('goal_month')) }} as goal_month,
        {{ clean_text('team_id') }} as team_id,
        {{ clean_text('goal_amount') }} as goal_amount_text,
        {{ try_cast(clean_text('goal_amount'), 'decimal(18, 2)') }} as goal_amount_local,
        {{ normalise_currency('currency_code') }} as currency_code,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.goal_id,
        typed.goal_month,
        typed.team_id,
        typed.goal_amount_text,
        typed.goal_amount_local,
        typed.currency_code,
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case when typed.goal_month is null then 'goal_month is not a valid date' end as invalid_date__goal_month_not_valid_date,
        case
            when typed.goal_amount_text is not null
                and not {{ matches_pattern('goal_amount_text', number_shape()) }}
                then 'goal_amount is not a number'
        end as invalid_number__goal_amount_not_number,
        case
            when typed.goal_amount_text is not null
                and {{ matches_pattern('goal_amount_text', number_shape()) }}
                and (typed.goal_amount_local is null or abs(typed.goal_amount_local) >= 10000000000000)
                then 'goal_amount is too large for the warehouse (10000000000000 or more in absolute value)'
        end as out_of_range__goal_amount_too_large,
        case
            when typed.goal_amount_local <> {{ try_cast('goal_amount_text', 'decimal(38, 18)') }}
                then 'goal_amount has more than 2 decimal places; the warehouse stores 2 and does not round'
        end as excess_precision__goal_amount_more_than_2,
        case when typed.goal_amount_local < 0 then 'goal_amount is negative' end as negative_amount__goal_amount_negative,
        case when typed.goal_amount_text is null then 'goal_amount is empty' end as missing_amount__goal_amount_empty,
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
        key_checked.goal_id,
        key_checked.goal_month,
        key_checked.team_id,
        key_checked.goal_amount_local,
        key_checked.currency_code,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
