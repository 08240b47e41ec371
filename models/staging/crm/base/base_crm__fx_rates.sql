-- One row per raw row of crm.fx_rates: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__fx_rates keeps the passing rows.
{%- set raw_columns = ['rate_month', 'currency_code', 'quote_currency', 'rate'] %}
{%- set key = ['rate_month_text', 'currency_code', 'quote_currency'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': 'rate_month is null', 'code': 'invalid_date', 'text': 'rate_month is not a valid date'},
    {'when': 'rate_text is not null and not ' ~ matches_pattern('rate_text', number_shape()), 'code': 'invalid_number', 'text': 'rate is not a number'},
    {'when': 'rate_text is not null and ' ~ matches_pattern('rate_text', number_shape()) ~ ' and (rate is null or rate >= 1000000)', 'code': 'out_of_range', 'text': 'rate is 1,000,000 or more: no real exchange rate is, and converted amounts would overflow'},
    {'when': 'rate_text is null', 'code': 'missing_amount', 'text': 'rate is empty'},
    {'when': 'rate <= 0', 'code': 'negative_amount', 'text': 'rate must be above zero'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('fx_rates') }}
),

{%- set raw_key = [clean_text('rate_month'), normalise_currency('currency_code'), normalise_currency('quote_currency')] %}
{{ mark_repeated_keys('source_rows', raw_key) }}

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
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.rate_month_text,
        flagged_rows.rate_month,
        flagged_rows.currency_code,
        flagged_rows.quote_currency,
        flagged_rows.rate_text,
        flagged_rows.rate,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
