-- One row per product-knowledge assessment taken. The rows of crm.training_assessments that passed validation in base_crm__training_assessments;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__training_assessments') }}
),

staged as (
    select
        assessment_id,
        rep_id,
        programme_id,
        assessment_type,
        assessed_at,
        score
    from validated_rows
    where reason_code is null
)

select * from staged
