-- One row per deal stage change. The rows of crm.deal_stage_history that passed validation in base_crm__deal_stage_history;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__deal_stage_history') }}
),

staged as (
    select
        stage_history_id,
        deal_id,
        stage,
        stage_order,
        stage_category,
        is_qualified,
        entered_at
    from validated_rows
    where reason_code is null
)

select * from staged
