-- The contract's rep_team_history from each live Salesforce user's CURRENT role (input_mode
-- salesforce): one open-ended assignment per user with a role, valid from the user's hire date
-- (the custom field named by var salesforce_user_hire_date_field), else var calendar_start_date,
-- else 1900-01-01 (always). Salesforce keeps no history of a user's role (unless the user table
-- is synced in Fivetran history mode, which this adapter does not read yet): a rep who changed
-- teams counts under the current team for the whole calendar.
{%- set user_columns = salesforce_columns('user') %}

with

users as (
    select * from {{ source('salesforce', 'user') }}
),

final as (
    select
        {{ salesforce_text(user_columns, 'id') }} as rep_id,
        {{ salesforce_text(user_columns, 'user_role_id') }} as team_id,
        coalesce(
            substring({{ salesforce_custom_text(user_columns, 'salesforce_user_hire_date_field', 'user') }}, 1, 10),
            {{ sql_string_literal(var('calendar_start_date', none) or '1900-01-01') }}
        ) as valid_from,
        cast(null as {{ dbt.type_string() }}) as valid_to
    from users
    where {{ salesforce_is_live(user_columns) }}
        and {{ salesforce_text(user_columns, 'user_role_id') }} is not null
)

select * from final
