-- One row per lead (the latest export of each). The rows of crm.leads that passed validation in base_crm__leads;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__leads') }}
),

staged as (
    select
        lead_id,
        lead_source,
        status,
        owner_rep_id,
        company_name,
        created_at,
        mql_at,
        sql_at,
        converted_at,
        converted_deal_id,
        converted_account_id,
        updated_at
    from validated_rows
    where reason_code is null
)

select * from staged
