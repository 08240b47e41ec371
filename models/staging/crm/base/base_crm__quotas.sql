-- One row per raw row of crm.quotas: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__quotas keeps the passing rows.
{%- set raw_columns = ['quota_id', 'rep_id', 'quota_month', 'quota_type', 'quota_value', 'currency_code'] %}
{%- set checks = dedupe_checks(['quota_id'], 'typed') + [
    {'when': 'quota_month is null and quota_month_text is not null', 'code': 'invalid_date', 'text': 'quota_month is not a valid date'},
    {'when': 'quota_month_text is null', 'code': 'missing_value', 'text': 'quota_month is empty'},
    {'when': "quota_type is null or quota_type not in ('revenue', 'deals_won', 'new_accounts')", 'code': 'invalid_value', 'text': 'quota_type must be revenue, deals_won or new_accounts'},
    {'when': 'quota_value is null and quota_value_text is not null', 'code': 'invalid_number', 'text': 'quota_value is not a number'},
    {'when': 'quota_value < 0', 'code': 'negative_amount', 'text': 'quota_value is negative'},
    {'when': 'quota_value is null', 'code': 'missing_amount', 'text': 'quota_value is empty'},
    {'when': "quota_type = 'revenue' and currency_code is null", 'code': 'invalid_currency', 'text': 'a revenue quota needs a 3-letter currency_code'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('quotas') }}
),

{{ flag_duplicate_rows('source_rows', raw_columns, [clean_text('quota_id')]) }}

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
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

validated as (
    select
        typed.quota_id,
        typed.rep_id,
        typed.quota_month_text,
        typed.quota_month,
        typed.quota_type,
        typed.quota_value_text,
        typed.quota_value,
        typed.currency_code,
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
