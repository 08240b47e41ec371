-- One row per sales team (stg_crm__teams) plus the `(unknown)` team that facts attribute an event
-- to when its rep had no team assignment on the event date: the conformed team dimension, the
-- `team` entity of the semantic layer. A fact's team_id is the team *as of the event date*
-- (int_rep_team_assignments), so a rep who changed teams counts for each team in its own days.

with

teams as (
    select * from {{ ref('stg_crm__teams') }}
),

unknown_team as (
    select
        {{ unknown_member() }} as team_id,
        {{ unknown_member() }} as team_name,
        {{ unknown_member() }} as team_type,
        {{ unknown_member() }} as region,
        cast(null as {{ dbt.type_string() }}) as manager_rep_id
),

final as (
    select
        team_id,
        team_name,
        team_type,
        region,
        manager_rep_id
    from teams
    union all
    select
        team_id,
        team_name,
        team_type,
        region,
        manager_rep_id
    from unknown_team
)

select * from final
