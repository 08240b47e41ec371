-- One row per e-mail tracking event. The rows of crm.email_events that passed validation in base_crm__email_events;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__email_events') }}
),

staged as (
    select
        email_event_id,
        email_id,
        rep_id,
        lead_id,
        event_type,
        occurred_at
    from validated_rows
    where reason_code is null
)

select * from staged
