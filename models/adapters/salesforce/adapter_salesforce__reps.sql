-- The contract's reps from Salesforce users (input_mode salesforce): every live user (not
-- _fivetran_deleted, the current _fivetran_active version), active or not, since deactivated
-- users still own deals. role: the custom field named by var salesforce_user_rep_role_field
-- (holding account_executive, sdr or manager), else `manager` for the forecast manager of the
-- user's role, else empty (staging applies var default_rep_role). Hire and termination dates
-- come from the custom fields named by vars; Salesforce has no standard field for them.
{%- set user_columns = salesforce_columns('user') %}
{%- set role_columns = salesforce_columns('user_role') %}

with

users as (
    select * from {{ source('salesforce', 'user') }}
),

roles as (
    select * from {{ source('salesforce', 'user_role') }}
),

role_managers as (
    select distinct
        {{ salesforce_text(role_columns, 'id') }} as role_id,
        {{ salesforce_text(role_columns, 'forecast_user_id') }} as manager_user_id
    from roles
    where {{ salesforce_is_live(role_columns) }}
        and {{ salesforce_text(role_columns, 'forecast_user_id') }} is not null
),

live_users as (
    select
        {{ salesforce_text(user_columns, 'id') }} as rep_id,
        {{ salesforce_text(user_columns, 'name') }} as rep_name,
        {{ salesforce_text(user_columns, 'email') }} as email,
        {{ salesforce_text(user_columns, 'user_role_id') }} as role_id,
        {{ salesforce_custom_text(user_columns, 'salesforce_user_rep_role_field', 'user') }} as custom_role,
        {{ salesforce_custom_text(user_columns, 'salesforce_user_hire_date_field', 'user') }} as hire_date,
        {{ salesforce_custom_text(user_columns, 'salesforce_user_termination_date_field', 'user') }} as termination_date,
        {{ salesforce_updated_at(user_columns) }} as updated_at
    from users
    where {{ salesforce_is_live(user_columns) }}
),

final as (
    select
        live_users.rep_id,
        live_users.rep_name,
        live_users.email,
        coalesce(
            live_users.custom_role,
            case when role_managers.manager_user_id is not null then 'manager' end
        ) as role,
        substring(live_users.hire_date, 1, 10) as hire_date,
        substring(live_users.termination_date, 1, 10) as termination_date,
        live_users.updated_at
    from live_users
    left join role_managers
        on live_users.role_id = role_managers.role_id
        and live_users.rep_id = role_managers.manager_user_id
)

select * from final
