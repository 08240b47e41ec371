-- The contract's reps from HubSpot owners (input_mode hubspot), every column as text: the name
-- is first and last name. HubSpot has no sales role, hire or termination date for an owner
-- (its roles are permission sets): role (var default_rep_role), hire_date and termination_date
-- stay empty for staging's defaults.

with

owners as (
    {{ hubspot_table('owner', [
        ['rep_id', 'owner_id', 'text'],
        ['first_name', 'first_name', 'text'],
        ['last_name', 'last_name', 'text'],
        ['email', 'email', 'text'],
        ['updated_at', 'updated_at', 'timestamp'],
    ], required=true) | indent(4) }}
),

final as (
    select
        rep_id,
        nullif(trim({{ dbt.concat(["coalesce(first_name, '')", "' '", "coalesce(last_name, '')"]) }}), '') as rep_name,
        email,
        cast(null as {{ dbt.type_string() }}) as role,
        cast(null as {{ dbt.type_string() }}) as hire_date,
        cast(null as {{ dbt.type_string() }}) as termination_date,
        updated_at
    from owners
    where not hubspot_is_deleted
)

select * from final
