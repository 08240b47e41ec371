-- One row per contract (the latest export of each). The rows of crm.contracts that passed validation in base_crm__contracts;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__contracts') }}
),

staged as (
    select
        contract_id,
        account_id,
        deal_id,
        start_date,
        end_date,
        monthly_amount_local,
        currency_code,
        updated_at
    from validated_rows
    where reason_code is null
)

select * from staged
