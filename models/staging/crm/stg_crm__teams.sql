-- One row per sales team. The rows of crm.teams that passed validation in base_crm__teams;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__teams') }}
),

staged as (
    select
        team_id,
        team_name,
        team_type,
        region,
        manager_rep_id
    from validated_rows
    where reason_code is null
)

select * from staged
