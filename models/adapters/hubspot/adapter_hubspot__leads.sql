-- The contract's leads from HubSpot contacts (input_mode hubspot): live rows only (not
-- _fivetran_deleted), every column as text. The lead source, the status and the lifecycle dates
-- are the properties the vars name (hubspot_lead_source_property, hubspot_lead_status_property,
-- hubspot_mql_date_property, hubspot_sql_date_property, hubspot_converted_date_property; by
-- default HubSpot's original source, lead status and lifecycle-stage dates); a contact without
-- that status property value takes its lifecycle stage as status. The converted deal
-- is the contact's associated live deal (lowest id); the converted account is the contact's
-- associated company once the contact converted. Standard status values the mapping seed does
-- not know are translated by the HubSpot presets.

with

contact_rows as (
    {{ hubspot_table('contact', [
        ['lead_id', 'id', 'text'],
        ['lead_source', hubspot_property_var('hubspot_lead_source_property'), 'text'],
        ['status', hubspot_property_var('hubspot_lead_status_property'), 'text'],
        ['lifecycle_stage', 'property_lifecyclestage', 'text'],
        ['owner_rep_id', 'property_hubspot_owner_id', 'text'],
        ['company_name', 'property_company', 'text'],
        ['created_at', ['property_createdate', 'property_hs_createdate'], 'timestamp'],
        ['mql_at', hubspot_property_var('hubspot_mql_date_property'), 'timestamp'],
        ['sql_at', hubspot_property_var('hubspot_sql_date_property'), 'timestamp'],
        ['converted_at', hubspot_property_var('hubspot_converted_date_property'), 'timestamp'],
        ['company_id', 'property_associatedcompanyid', 'text'],
        ['updated_at', ['property_lastmodifieddate', 'property_hs_lastmodifieddate'], 'timestamp'],
    ]) | indent(4) }}
),

contacts as (
    select
        contact_rows.*,
        coalesce(nullif(trim(contact_rows.status), ''), contact_rows.lifecycle_stage) as lead_status
    from contact_rows
),

deal_contacts as (
    {{ hubspot_table('deal_contact', [['deal_id', 'deal_id', 'text'], ['contact_id', 'contact_id', 'text']]) | indent(4) }}
),

live_deals as (
    select deal_id from {{ ref('adapter_hubspot__deals') }}
),

status_mapping as (
    select shipped_statuses.source_value
    from {{ mapping('map_lead_statuses') }} as shipped_statuses
),

status_presets as (
    select
        source_value,
        contract_value
    from {{ ref('map_hubspot_lead_statuses') }}
),

converted_deals as (
    select
        deal_contacts.contact_id,
        min(deal_contacts.deal_id) as deal_id
    from deal_contacts
    inner join live_deals
        on deal_contacts.deal_id = live_deals.deal_id
    where not deal_contacts.hubspot_is_deleted
    group by deal_contacts.contact_id
),

final as (
    select
        contacts.lead_id,
        contacts.lead_source,
        {{ hubspot_translated('contacts.lead_status', 'status_mapping', 'status_presets') }} as status,
        contacts.owner_rep_id,
        contacts.company_name,
        contacts.created_at,
        contacts.mql_at,
        contacts.sql_at,
        contacts.converted_at,
        converted_deals.deal_id as converted_deal_id,
        case when contacts.converted_at is not null then contacts.company_id end as converted_account_id,
        contacts.updated_at
    from contacts
    left join converted_deals
        on contacts.lead_id = converted_deals.contact_id
    left join status_mapping
        on {{ normalise_code('contacts.lead_status') }} = status_mapping.source_value
    left join status_presets
        on {{ normalise_code('contacts.lead_status') }} = status_presets.source_value
    where not contacts.hubspot_is_deleted
)

select * from final
