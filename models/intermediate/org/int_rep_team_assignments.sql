-- One row per rep per team assignment, with closed date ranges (valid_to filled with the
-- calendar's last day, int_calendar_bounds, while current): the rep → team → company hierarchy as of any
-- date. A rep belongs to the team they were in on the event date. An export that has a rep in
-- two teams at once (an assignment not closed before the next one starts) is resolved here:
-- the later assignment wins from its first day, the earlier one ends the day before
-- (dq_findings lists each such row as overlapping_range).

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

bounds as (
    select * from {{ ref('int_calendar_bounds') }}
),

sequenced as (
    select
        assignments.*,
        coalesce(assignments.valid_to, bounds.calendar_end_date) as valid_to_or_end,
        lead(assignments.valid_from) over (
            partition by assignments.rep_id order by assignments.valid_from
        ) as next_valid_from
    from assignments
    cross join bounds
),

final as (
    select
        sequenced.rep_id,
        reps.rep_name,
        sequenced.team_id,
        teams.team_name,
        teams.team_type,
        sequenced.valid_from,
        case
            when sequenced.next_valid_from <= sequenced.valid_to_or_end
                then cast({{ dbt.dateadd('day', -1, 'sequenced.next_valid_from') }} as date)
            else sequenced.valid_to_or_end
        end as valid_to,
        sequenced.valid_to is null and sequenced.next_valid_from is null as is_current
    from sequenced
    inner join teams
        on sequenced.team_id = teams.team_id
    inner join reps
        on sequenced.rep_id = reps.rep_id
)

select * from final
