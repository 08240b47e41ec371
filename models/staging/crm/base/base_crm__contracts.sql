-- One row per raw row of crm.contracts: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__contracts keeps the passing rows, rejected_rows the others.
{%- set raw_columns = [
    'contract_id', 'account_id', 'deal_id', 'start_date', 'end_date', 'monthly_amount',
    'currency_code', 'updated_at',
] %}
{%- set key = ['contract_id'] %}
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='replace_slice' if target.type != 'spark' else none,
    incremental_slice='snapshot_slice',
    snapshot_table='contracts',
    snapshot_key='contract_id',
    indexes=replace_key_indexes(['contract_id']),
    snapshot_columns=raw_columns,
    on_schema_change='fail',
) }}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__start_date_end_date_updated_at', 'missing_value__start_date_empty',
    'impossible_date__end_date_before_start_date', 'invalid_number__monthly_amount_not_number',
    'out_of_range__monthly_amount_too_large', 'excess_precision__monthly_amount_more_than_2',
    'negative_amount__monthly_amount_negative', 'missing_amount__monthly_amount_empty',
    'invalid_currency__currency_code_empty_not_3',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('contracts') }}
),

-- the rows of the keys whose raw rows changed since the last run (all rows in a full build);
-- an unchanged key is not re-read (snapshot_slice)
batch_rows as {{ cte_materialization(is_incremental()) }} (
    {{ snapshot_batch_rows('source_rows', 'contract_id') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('batch_rows', [clean_text('contract_id')]) }}
),

typed as (
    select
        {{ clean_text('contract_id') }} as contract_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('deal_id') }} as deal_id,
        {{ clean_text('start_date') }} as start_date_text,
        {{ parse_date('start_date') }} as start_date,
        {{ clean_text('end_date') }} as end_date_text,
        {{ parse_date('end_date') }} as end_date,
        {{ clean_text('monthly_amount') }} as monthly_amount_text,
        {{ try_cast(clean_text('monthly_amount'), 'decimal(18, 2)') }} as monthly_amount_local,
        {{ normalise_currency('currency_code') }} as currency_code,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.contract_id,
        typed.account_id,
        typed.deal_id,
        typed.start_date_text,
        typed.start_date,
        typed.end_date_text,
        typed.end_date,
        typed.monthly_amount_text,
        typed.monthly_amount_local,
        typed.currency_code,
        typed.updated_at_text,
        typed.updated_at,
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when (typed.start_date is null and typed.start_date_text is not null)
                or (typed.end_date is null and typed.end_date_text is not null)
                or (typed.updated_at is null and typed.updated_at_text is not null)
                then 'start_date, end_date or updated_at is not a valid date/timestamp'
        end as invalid_date__start_date_end_date_updated_at,
        case when typed.start_date_text is null then 'start_date is empty' end as missing_value__start_date_empty,
        case when typed.end_date < typed.start_date then 'end_date is before start_date' end as impossible_date__end_date_before_start_date,
        case
            when typed.monthly_amount_text is not null
                and not {{ matches_pattern('monthly_amount_text', number_shape()) }}
                then 'monthly_amount is not a number'
        end as invalid_number__monthly_amount_not_number,
        case
            when typed.monthly_amount_text is not null
                and {{ matches_pattern('monthly_amount_text', number_shape()) }}
                and (typed.monthly_amount_local is null or abs(typed.monthly_amount_local) >= 10000000000000)
                then 'monthly_amount is too large for the warehouse (10000000000000 or more in absolute value)'
        end as out_of_range__monthly_amount_too_large,
        case
            when typed.monthly_amount_local <> {{ try_cast('monthly_amount_text', 'decimal(38, 18)') }}
                then 'monthly_amount has more than 2 decimal places; the warehouse stores 2 and does not round'
        end as excess_precision__monthly_amount_more_than_2,
        case when typed.monthly_amount_local < 0 then 'monthly_amount is negative' end as negative_amount__monthly_amount_negative,
        case when typed.monthly_amount_text is null then 'monthly_amount is empty' end as missing_amount__monthly_amount_empty,
        case
            when typed.currency_code is null
                then 'currency_code is empty or not a 3-letter ISO code'
        end as invalid_currency__currency_code_empty_not_3
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (duplicate_flag).
deduplicated as (
    {{ deduplicate('checked', key, 'updated_at', row_checks) }}
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
        key_checked.contract_id,
        key_checked.account_id,
        key_checked.deal_id,
        key_checked.start_date,
        key_checked.end_date,
        key_checked.monthly_amount_local,
        key_checked.currency_code,
        key_checked.updated_at,
        key_checked.row_fingerprint,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
