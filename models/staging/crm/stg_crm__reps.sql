-- One row per rep (the latest export of each). The rows of crm.reps that passed validation in base_crm__reps;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__reps') }}
),

staged as (
    select
        rep_id,
        rep_name,
        email,
        role,
        hire_date,
        termination_date,
        updated_at
    from validated_rows
    where reason_code is null
)

select * from staged
