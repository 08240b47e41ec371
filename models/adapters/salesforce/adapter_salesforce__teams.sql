-- The contract's teams from Salesforce user roles (input_mode salesforce): one team per live
-- role (not _fivetran_deleted, the current _fivetran_active version). The role's forecast
-- manager (forecast_user_id) is the team's manager. Salesforce roles hold no team type and no
-- region (UserRole takes no custom fields): both stay empty, so staging applies
-- var default_team_type and (unknown).
{%- set role_columns = salesforce_columns('user_role') %}

with

roles as (
    select * from {{ source('salesforce', 'user_role') }}
),

final as (
    select
        {{ salesforce_text(role_columns, 'id') }} as team_id,
        {{ salesforce_text(role_columns, 'name') }} as team_name,
        cast(null as {{ dbt.type_string() }}) as team_type,
        cast(null as {{ dbt.type_string() }}) as region,
        {{ salesforce_text(role_columns, 'forecast_user_id') }} as manager_rep_id
    from roles
    where {{ salesforce_is_live(role_columns) }}
)

select * from final
