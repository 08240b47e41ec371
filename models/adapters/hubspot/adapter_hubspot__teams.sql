-- The contract's teams from HubSpot teams (input_mode hubspot), every column as text. A HubSpot
-- team has an id and a name only: team_type (var default_team_type), region ((unknown)) and
-- manager_rep_id stay empty for staging's defaults.

with

teams as (
    {{ hubspot_table('team', [['team_id', 'id', 'text'], ['team_name', 'name', 'text']]) | indent(4) }}
),

final as (
    select
        team_id,
        team_name,
        cast(null as {{ dbt.type_string() }}) as team_type,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as manager_rep_id
    from teams
    where not hubspot_is_deleted
)

select * from final
