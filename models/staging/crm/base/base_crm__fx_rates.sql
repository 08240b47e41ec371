-- One row per raw row of crm.fx_rates: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__fx_rates keeps the passing rows.
{%- set raw_columns = ['rate_month', 'currency_code', 'quote_currency', 'rate'] %}
{%- set checks = dedupe_checks(['rate_month_text', 'currency_code', 'quote_currency'], 'typed') + [
    {'when': 'rate_month is null', 'code': 'invalid_date', 'text': 'rate_month is not a valid date'},
    {'when': 'rate is null and rate_text is not null', 'code': 'invalid_number', 'text': 'rate is not a number'},
    {'when': 'rate is null', 'code': 'missing_amount', 'text': 'rate is empty'},
    {'when': 'rate <= 0', 'code': 'negative_amount', 'text': 'rate must be above zero'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('fx_rates') }}
),

{%- set key = [clean_text('rate_month'), normalise_currency('currency_code'), normalise_currency('quote_currency')] %}
{{ flag_duplicate_rows('source_rows', raw_columns, key) }}

typed as (
    select
        {{ clean_text('rate_month') }} as rate_month_text,
        {{ dbt.date_trunc('month', parse_date('rate_month')) }} as rate_month,
        {{ normalise_currency('currency_code') }} as currency_code,
        {{ normalise_currency('quote_currency') }} as quote_currency,
        {{ clean_text('rate') }} as rate_text,
        {{ try_cast(clean_text('rate'), 'decimal(18, 8)') }} as rate,
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

validated as (
    select
        typed.rate_month_text,
        typed.rate_month,
        typed.currency_code,
        typed.quote_currency,
        typed.rate_text,
        typed.rate,
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
