-- One row per month and currency pair. The rows of crm.fx_rates that passed validation in base_crm__fx_rates;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__fx_rates') }}
),

staged as (
    select
        rate_month,
        currency_code,
        quote_currency,
        rate
    from validated_rows
    where reason_code is null
)

select * from staged
