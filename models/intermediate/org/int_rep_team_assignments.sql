-- One row per rep per team assignment, with closed date ranges (valid_to filled with
-- var('calendar_end_date') while current): the rep → team → company hierarchy as of any
-- date. A rep belongs to the team they were in on the event date.

with

assignments as (
    select * from {{ ref('stg_crm__rep_team_history') }}
),

teams as (
    select * from {{ ref('stg_crm__teams') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

final as (
    select
        assignments.rep_id,
        reps.rep_name,
        assignments.team_id,
        teams.team_name,
        teams.team_type,
        assignments.valid_from,
        coalesce(assignments.valid_to, {{ dbt.cast(sql_string_literal(var('calendar_end_date')), 'date') }}) as valid_to,
        assignments.valid_to is null as is_current
    from assignments
    inner join teams
        on assignments.team_id = teams.team_id
    inner join reps
        on assignments.rep_id = reps.rep_id
)

select * from final
