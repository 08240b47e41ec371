-- One row per raw row of crm.contracts: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__contracts keeps the passing rows, rejected_rows the others.
{%- set raw_columns = [
    'contract_id', 'account_id', 'deal_id', 'start_date', 'end_date', 'monthly_amount',
    'currency_code', 'updated_at',
] %}
{%- set key = ['contract_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': '(start_date is null and start_date_text is not null) or (end_date is null and end_date_text is not null) or (updated_at is null and updated_at_text is not null)',
     'code': 'invalid_date', 'text': 'start_date, end_date or updated_at is not a valid date/timestamp'},
    {'when': 'start_date_text is null', 'code': 'missing_value', 'text': 'start_date is empty'},
    {'when': 'end_date < start_date', 'code': 'impossible_date', 'text': 'end_date is before start_date'},
] + amount_checks('monthly_amount', 'monthly_amount_local', 'monthly_amount_text') + [
    {'when': 'monthly_amount_text is null', 'code': 'missing_amount', 'text': 'monthly_amount is empty'},
    {'when': 'currency_code is null', 'code': 'invalid_currency', 'text': 'currency_code is empty or not a 3-letter ISO code'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('contracts') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('contract_id')]) }}

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
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key, 'updated_at') }}

validated as (
    select
        flagged_rows.contract_id,
        flagged_rows.account_id,
        flagged_rows.deal_id,
        flagged_rows.start_date_text,
        flagged_rows.start_date,
        flagged_rows.end_date_text,
        flagged_rows.end_date,
        flagged_rows.monthly_amount_text,
        flagged_rows.monthly_amount_local,
        flagged_rows.currency_code,
        flagged_rows.updated_at_text,
        flagged_rows.updated_at,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
