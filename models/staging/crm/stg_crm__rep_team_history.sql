-- One row per rep per team assignment (valid_to NULL = current). The rows of crm.rep_team_history that passed validation in base_crm__rep_team_history;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__rep_team_history') }}
),

staged as (
    select
        rep_id,
        team_id,
        valid_from,
        valid_to
    from validated_rows
    where reason_code is null
)

select * from staged
