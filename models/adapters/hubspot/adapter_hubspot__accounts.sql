-- The contract's accounts from HubSpot companies (input_mode hubspot): live rows only (not
-- is_deleted, not _fivetran_deleted), every column as text. HubSpot has no standard segment or
-- sales region: vars hubspot_account_segment_property / hubspot_account_region_property name the
-- properties that hold them (null = empty: the segment then comes from the employee count, var
-- segment_employee_thresholds; the region is (unknown)).

with

companies as (
    {{ hubspot_table('company', [
        ['account_id', 'id', 'text'],
        ['account_name', 'property_name', 'text'],
        ['segment', hubspot_property_var('hubspot_account_segment_property'), 'text'],
        ['region', hubspot_property_var('hubspot_account_region_property'), 'text'],
        ['industry', 'property_industry', 'text'],
        ['employee_count', 'property_numberofemployees', 'integer'],
        ['owner_rep_id', 'property_hubspot_owner_id', 'text'],
        ['created_at', ['property_createdate', 'property_hs_createdate'], 'timestamp'],
        ['updated_at', ['property_hs_lastmodifieddate', 'property_lastmodifieddate'], 'timestamp'],
    ]) | indent(4) }}
),

final as (
    select
        account_id,
        account_name,
        segment,
        region,
        industry,
        employee_count,
        owner_rep_id,
        created_at,
        updated_at
    from companies
    where not hubspot_is_deleted
)

select * from final
