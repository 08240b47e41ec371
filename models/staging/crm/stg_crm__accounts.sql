-- One row per account (the latest export of each). The rows of crm.accounts that passed validation in base_crm__accounts;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__accounts') }}
),

staged as (
    select
        account_id,
        account_name,
        segment,
        region,
        industry,
        employee_count,
        owner_rep_id,
        created_at,
        updated_at
    from validated_rows
    where reason_code is null
)

select * from staged
