-- One row per logged activity. The rows of crm.activities that passed validation in base_crm__activities;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__activities') }}
),

staged as (
    select
        activity_id,
        rep_id,
        account_id,
        deal_id,
        lead_id,
        activity_class,
        is_selling,
        started_at,
        duration_minutes,
        outcome,
        is_value_added
    from validated_rows
    where reason_code is null
)

select * from staged
