-- The contract's accounts from Salesforce accounts (input_mode salesforce): live rows only (not
-- is_deleted, not _fivetran_deleted, the current _fivetran_active version). Salesforce has no
-- segment (staging derives it from employee_count) and no region field as such: region comes
-- from the custom field named by var salesforce_account_region_field, else stays empty.
{%- set account_columns = salesforce_columns('account') %}

with

accounts as (
    select * from {{ source('salesforce', 'account') }}
),

final as (
    select
        {{ salesforce_text(account_columns, 'id') }} as account_id,
        {{ salesforce_text(account_columns, 'name') }} as account_name,
        cast(null as {{ dbt.type_string() }}) as segment,
        {{ salesforce_custom_text(account_columns, 'salesforce_account_region_field', 'account') }} as region,
        {{ salesforce_text(account_columns, 'industry') }} as industry,
        {{ salesforce_text(account_columns, 'number_of_employees') }} as employee_count,
        {{ salesforce_text(account_columns, 'owner_id') }} as owner_rep_id,
        {{ salesforce_text(account_columns, 'created_date') }} as created_at,
        {{ salesforce_updated_at(account_columns) }} as updated_at
    from accounts
    where {{ salesforce_is_live(account_columns) }}
)

select * from final
