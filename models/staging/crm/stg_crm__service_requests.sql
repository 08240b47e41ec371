-- One row per customer service request. The rows of crm.service_requests that passed validation in base_crm__service_requests;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__service_requests') }}
),

staged as (
    select
        request_id,
        account_id,
        rep_id,
        channel,
        opened_at,
        resolved_at,
        contact_count
    from validated_rows
    where reason_code is null
)

select * from staged
