-- The contract's deals from HubSpot deals (input_mode hubspot): live rows only (not is_deleted,
-- not _fivetran_deleted, not merged into another deal), every column as text. The stage is the
-- pipeline stage's label (its id when the stage has no label); property_closedate is the
-- deal's closed_at on a closed stage (deal_pipeline_stage.is_closed) and its expected close date
-- on an open one. The account and the lead are the deal's associated company and contact (the
-- lowest id when there are several). Standard stage and type values the mapping seeds do not
-- know are translated by the HubSpot presets. The product is the product of the deal's largest
-- live line item (line_item_deal → line_item by property_amount, then line item id); none when
-- the deal has no line item or the portal does not sync line items.
{%- set deal_type_column = hubspot_property_var('hubspot_deal_type_property') %}

with

deals as (
    {{ hubspot_table('deal', [
        ['deal_id', 'deal_id', 'text'],
        ['deal_name', 'property_dealname', 'text'],
        ['owner_rep_id', ['owner_id', 'property_hubspot_owner_id'], 'text'],
        ['stage_id', ['deal_pipeline_stage_id', 'property_dealstage'], 'text'],
        ['deal_type', deal_type_column, 'text'],
        ['amount', 'property_amount', 'number'],
        ['currency_code', 'property_deal_currency_code', 'text'],
        ['created_at', ['property_createdate', 'property_hs_createdate'], 'timestamp'],
        ['close_date', 'property_closedate', 'timestamp'],
        ['lost_reason', 'property_closed_lost_reason', 'text'],
        ['updated_at', ['property_hs_lastmodifieddate', 'property_lastmodifieddate'], 'timestamp'],
    ], required=true) | indent(4) }}
),

merged_deals as (
    {{ hubspot_table('merged_deal', [['merged_deal_id', 'merged_deal_id', 'text']]) | indent(4) }}
),

pipeline_stages as (
    {{ hubspot_table('deal_pipeline_stage', [
        ['stage_id', 'stage_id', 'text'],
        ['stage_label', 'label', 'text'],
        ['is_closed', 'is_closed', 'flag'],
    ]) | indent(4) }}
),

deal_companies as (
    {{ hubspot_table('deal_company', [['deal_id', 'deal_id', 'text'], ['company_id', 'company_id', 'text']]) | indent(4) }}
),

deal_contacts as (
    {{ hubspot_table('deal_contact', [['deal_id', 'deal_id', 'text'], ['contact_id', 'contact_id', 'text']]) | indent(4) }}
),

line_items as (
    {{ hubspot_table('line_item', [
        ['line_item_id', ['line_item_id', 'id'], 'text'],
        ['product_id', ['product_id', 'property_hs_product_id'], 'text'],
        ['amount', 'property_amount', 'numeric'],
    ]) | indent(4) }}
),

line_item_deals as (
    {{ hubspot_table('line_item_deal', [['line_item_id', 'line_item_id', 'text'], ['deal_id', 'deal_id', 'text']]) | indent(4) }}
),

stage_mapping as (
    select shipped_stages.source_value
    from {{ mapping('map_deal_stages') }} as shipped_stages
),

stage_presets as (
    select
        source_value,
        contract_value
    from {{ ref('map_hubspot_deal_stages') }}
),

type_mapping as (
    select shipped_types.source_value
    from {{ mapping('map_deal_types') }} as shipped_types
),

type_presets as (
    select
        source_value,
        contract_value
    from {{ ref('map_hubspot_deal_types') }}
),

merged_deal_ids as (
    select distinct merged_deal_id
    from merged_deals
    where not hubspot_is_deleted
),

live_deals as (
    select deals.*
    from deals
    left join merged_deal_ids
        on deals.deal_id = merged_deal_ids.merged_deal_id
    where not deals.hubspot_is_deleted
        and merged_deal_ids.merged_deal_id is null
),

stage_labels as (
    select
        stage_id,
        min(stage_label) as stage_label,
        max(case when is_closed then 1 else 0 end) = 1 as is_closed
    from pipeline_stages
    where not hubspot_is_deleted
    group by stage_id
),

deal_accounts as (
    select
        deal_id,
        min(company_id) as account_id
    from deal_companies
    where not hubspot_is_deleted
    group by deal_id
),

deal_leads as (
    select
        deal_id,
        min(contact_id) as lead_id
    from deal_contacts
    where not hubspot_is_deleted
    group by deal_id
),

ranked_line_items as (
    select
        line_item_deals.deal_id,
        line_items.product_id,
        row_number() over (
            partition by line_item_deals.deal_id
            order by line_items.amount desc nulls last, line_items.line_item_id asc
        ) as line_item_rank
    from line_item_deals
    inner join line_items
        on line_item_deals.line_item_id = line_items.line_item_id
    where not line_item_deals.hubspot_is_deleted
        and not line_items.hubspot_is_deleted
        and line_items.product_id is not null
),

deal_products as (
    select
        deal_id,
        product_id
    from ranked_line_items
    where line_item_rank = 1
),

staged_deals as (
    select
        live_deals.*,
        coalesce(stage_labels.stage_label, live_deals.stage_id) as stage,
        coalesce(stage_labels.is_closed, false) as is_closed
    from live_deals
    left join stage_labels
        on live_deals.stage_id = stage_labels.stage_id
),

final as (
    select
        staged_deals.deal_id,
        staged_deals.deal_name,
        deal_accounts.account_id,
        staged_deals.owner_rep_id,
        deal_leads.lead_id,
        {{ hubspot_translated('staged_deals.deal_type', 'type_mapping', 'type_presets') }} as deal_type,
        {{ hubspot_translated('staged_deals.stage', 'stage_mapping', 'stage_presets') }} as stage,
        staged_deals.amount,
        staged_deals.currency_code,
        staged_deals.created_at,
        case when staged_deals.is_closed then staged_deals.close_date end as closed_at,
        case when not staged_deals.is_closed then left(staged_deals.close_date, 10) end as expected_close_date,
        staged_deals.lost_reason,
        staged_deals.updated_at,
        deal_products.product_id
    from staged_deals
    left join deal_accounts
        on staged_deals.deal_id = deal_accounts.deal_id
    left join deal_leads
        on staged_deals.deal_id = deal_leads.deal_id
    left join deal_products
        on staged_deals.deal_id = deal_products.deal_id
    left join stage_mapping
        on {{ normalise_code('staged_deals.stage') }} = stage_mapping.source_value
    left join stage_presets
        on {{ normalise_code('staged_deals.stage') }} = stage_presets.source_value
    left join type_mapping
        on {{ normalise_code('staged_deals.deal_type') }} = type_mapping.source_value
    left join type_presets
        on {{ normalise_code('staged_deals.deal_type') }} = type_presets.source_value
)

select * from final
