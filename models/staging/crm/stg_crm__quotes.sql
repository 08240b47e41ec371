-- One row per quote. The rows of crm.quotes that passed validation in base_crm__quotes;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__quotes') }}
),

staged as (
    select
        quote_id,
        deal_id,
        rep_id,
        requested_at,
        delivered_at,
        quote_amount_local,
        currency_code
    from validated_rows
    where reason_code is null
)

select * from staged
