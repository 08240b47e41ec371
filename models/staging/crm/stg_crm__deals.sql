-- One row per deal (the latest export of each). The rows of crm.deals that passed validation in base_crm__deals;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__deals') }}
),

staged as (
    select
        deal_id,
        deal_name,
        account_id,
        owner_rep_id,
        lead_id,
        deal_type,
        stage,
        stage_order,
        stage_category,
        is_qualified,
        amount_local,
        currency_code,
        created_at,
        closed_at,
        expected_close_date,
        lost_reason,
        updated_at,
        product_id
    from validated_rows
    where reason_code is null
)

select * from staged
