-- One row per training enrolment. The rows of crm.training_enrolments that passed validation in base_crm__training_enrolments;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__training_enrolments') }}
),

staged as (
    select
        enrolment_id,
        rep_id,
        programme_id,
        programme_name,
        enrolled_at,
        completed_at
    from validated_rows
    where reason_code is null
)

select * from staged
