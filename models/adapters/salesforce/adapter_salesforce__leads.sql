-- The contract's leads from Salesforce leads (input_mode salesforce): live rows only (not
-- is_deleted, not _fivetran_deleted, the current _fivetran_active version). converted_at: the
-- creation time of the opportunity the conversion created (converted_opportunity_id), else the
-- date-only converted_date. MQL and SQL times come from the custom fields named by vars
-- salesforce_lead_mql_date_field and salesforce_lead_sql_date_field (Salesforce has no standard
-- field for either). Standard lead statuses the mapping seed does not know are translated by the
-- Salesforce presets.
{%- set lead_columns = salesforce_columns('lead') %}
{%- set opportunity_columns = salesforce_columns('opportunity') %}

with

leads as (
    select * from {{ source('salesforce', 'lead') }}
),

opportunities as (
    select * from {{ source('salesforce', 'opportunity') }}
),

status_mapping as (
    select source_value from {{ mapping('map_lead_statuses') }}
),

status_presets as (
    select
        source_value,
        contract_value
    from {{ ref('map_salesforce_lead_statuses') }}
),

live_opportunities as (
    select
        {{ salesforce_text(opportunity_columns, 'id') }} as deal_id,
        {{ salesforce_text(opportunity_columns, 'created_date') }} as created_at
    from opportunities
    where {{ salesforce_is_live(opportunity_columns) }}
),

live_leads as (
    select
        {{ salesforce_text(lead_columns, 'id') }} as lead_id,
        {{ salesforce_text(lead_columns, 'lead_source') }} as lead_source,
        {{ salesforce_text(lead_columns, 'status') }} as status,
        {{ salesforce_text(lead_columns, 'owner_id') }} as owner_rep_id,
        {{ salesforce_text(lead_columns, 'company') }} as company_name,
        {{ salesforce_text(lead_columns, 'created_date') }} as created_at,
        {{ salesforce_custom_text(lead_columns, 'salesforce_lead_mql_date_field', 'lead') }} as mql_at,
        {{ salesforce_custom_text(lead_columns, 'salesforce_lead_sql_date_field', 'lead') }} as sql_at,
        {{ salesforce_date_text(lead_columns, 'converted_date') }} as converted_date,
        {{ salesforce_text(lead_columns, 'converted_opportunity_id') }} as converted_deal_id,
        {{ salesforce_text(lead_columns, 'converted_account_id') }} as converted_account_id,
        {{ salesforce_updated_at(lead_columns) }} as updated_at
    from leads
    where {{ salesforce_is_live(lead_columns) }}
),

final as (
    select
        live_leads.lead_id,
        live_leads.lead_source,
        {{ salesforce_translated('live_leads.status', 'status_mapping', 'status_presets') }} as status,
        live_leads.owner_rep_id,
        live_leads.company_name,
        live_leads.created_at,
        live_leads.mql_at,
        live_leads.sql_at,
        coalesce(live_opportunities.created_at, live_leads.converted_date) as converted_at,
        live_leads.converted_deal_id,
        live_leads.converted_account_id,
        live_leads.updated_at
    from live_leads
    left join live_opportunities
        on live_leads.converted_deal_id = live_opportunities.deal_id
    left join status_mapping
        on {{ normalise_code('live_leads.status') }} = status_mapping.source_value
    left join status_presets
        on {{ normalise_code('live_leads.status') }} = status_presets.source_value
)

select * from final
