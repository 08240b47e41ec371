-- One row per raw row of crm.quotas: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__quotas keeps the passing rows.
{%- set raw_columns = ['quota_id', 'rep_id', 'quota_month', 'quota_type', 'quota_value', 'currency_code'] %}
{%- set key = ['quota_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': 'quota_month is null and quota_month_text is not null', 'code': 'invalid_date', 'text': 'quota_month is not a valid date'},
    {'when': 'quota_month_text is null', 'code': 'missing_value', 'text': 'quota_month is empty'},
    {'when': "quota_type is null or quota_type not in ('revenue', 'deals_won', 'new_accounts')", 'code': 'invalid_value', 'text': 'quota_type must be revenue, deals_won or new_accounts'},
] + amount_checks('quota_value', 'quota_value', 'quota_value_text') + [
    {'when': 'quota_value_text is null', 'code': 'missing_amount', 'text': 'quota_value is empty'},
    {'when': "quota_type = 'revenue' and currency_code is null", 'code': 'invalid_currency', 'text': 'a revenue quota needs a 3-letter currency_code'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('quotas') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('quota_id')]) }}

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
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.quota_id,
        flagged_rows.rep_id,
        flagged_rows.quota_month_text,
        flagged_rows.quota_month,
        flagged_rows.quota_type,
        flagged_rows.quota_value_text,
        flagged_rows.quota_value,
        flagged_rows.currency_code,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
