-- One row per raw row of crm.fx_rates: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__fx_rates keeps the passing rows.
{%- set raw_columns = ['rate_month', 'currency_code', 'quote_currency', 'rate'] %}
{%- set checks = dedupe_checks(['rate_month_text', 'currency_code', 'quote_currency']) + [
    {'when': 'rate_month is null', 'code': 'invalid_date', 'text': 'rate_month is not a valid date'},
    {'when': 'rate is null and rate_text is not null', 'code': 'invalid_number', 'text': 'rate is not a number'},
    {'when': 'rate is null', 'code': 'missing_amount', 'text': 'rate is empty'},
    {'when': 'rate <= 0', 'code': 'negative_amount', 'text': 'rate must be above zero'},
] %}

with

source_rows as (
    select * from {{ crm_source('fx_rates') }}
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
        {{ raw_values_json(raw_columns) }} as raw_values
    from source_rows
),

versioned as (
    select
        typed.*,
        {{ dedupe_columns(['rate_month_text', 'currency_code', 'quote_currency']) }}
    from typed
),

validated as (
    select
        versioned.*,
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ first_failed_check(checks, 'text') }} as reason_text
    from versioned
)

select * from validated
