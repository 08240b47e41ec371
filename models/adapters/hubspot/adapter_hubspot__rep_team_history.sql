-- The contract's rep_team_history from HubSpot team memberships (input_mode hubspot), every
-- column as text. HubSpot keeps only an owner's CURRENT teams, without dates: each owner gets one
-- open-ended row in its team — the owner_team row marked is_team_primary, else its user's
-- primary_team_id (users.primary_team_id through owner.active_user_id), else its lowest team id —
-- valid from var calendar_start_date, or from 1900-01-01 when the calendar is derived (null):
-- no earlier assignment is known, so the current team stands for all time.

with

memberships as (
    {{ hubspot_table('owner_team', [
        ['rep_id', 'owner_id', 'text'],
        ['team_id', 'team_id', 'text'],
        ['is_primary', 'is_team_primary', 'flag'],
    ]) | indent(4) }}
),

owners as (
    {{ hubspot_table('owner', [['rep_id', 'owner_id', 'text'], ['user_id', 'active_user_id', 'text']], required=true) | indent(4) }}
),

users as (
    {{ hubspot_table('users', [['user_id', 'id', 'text'], ['team_id', 'primary_team_id', 'text']]) | indent(4) }}
),

primary_teams as (
    select
        rep_id,
        min(team_id) as team_id
    from memberships
    where not hubspot_is_deleted and coalesce(is_primary, false)
    group by rep_id
),

any_teams as (
    select
        rep_id,
        min(team_id) as team_id
    from memberships
    where not hubspot_is_deleted
    group by rep_id
),

user_teams as (
    select
        user_id,
        min(team_id) as team_id
    from users
    where not hubspot_is_deleted
    group by user_id
),

owner_teams as (
    select
        owners.rep_id,
        coalesce(primary_teams.team_id, user_teams.team_id, any_teams.team_id) as team_id
    from owners
    left join primary_teams
        on owners.rep_id = primary_teams.rep_id
    left join user_teams
        on owners.user_id = user_teams.user_id
    left join any_teams
        on owners.rep_id = any_teams.rep_id
    where not owners.hubspot_is_deleted
),

final as (
    select
        rep_id,
        team_id,
        cast({{ sql_string_literal(var('calendar_start_date', none) or '1900-01-01') }} as {{ dbt.type_string() }}) as valid_from,
        cast(null as {{ dbt.type_string() }}) as valid_to
    from owner_teams
    where team_id is not null
)

select * from final
