-- The contract's deals from Salesforce opportunities (input_mode salesforce): live rows only
-- (not is_deleted, not _fivetran_deleted, the current _fivetran_active version), every column as
-- text. close_date is date-only in Salesforce: it is the deal's closed_at on a closed opportunity
-- (a calendar date, never shifted by a time zone) and its expected_close_date while open. The
-- lead is the one whose converted_opportunity_id is the opportunity. Standard stage and type
-- picklist values the mapping seeds do not know are translated by the Salesforce presets. The
-- product is the Product2 of the opportunity's largest live line item (opportunity_line_item by
-- total_price, then sort_order, then line item id); none when it has no line item or the org
-- does not sync line items.
{%- set opportunity_columns = salesforce_columns('opportunity') %}
{%- set lead_columns = salesforce_columns('lead') %}
{%- set line_item_columns = salesforce_columns('opportunity_line_item', required=false) %}

with

opportunities as (
    select * from {{ source('salesforce', 'opportunity') }}
),

leads as (
    select * from {{ source('salesforce', 'lead') }}
),

line_items as (
    select * from {{ salesforce_optional_source('opportunity_line_item', line_item_columns) }}
),

stage_mapping as (
    select source_value from {{ mapping('map_deal_stages') }}
),

stage_presets as (
    select
        source_value,
        contract_value
    from {{ ref('map_salesforce_deal_stages') }}
),

type_mapping as (
    select source_value from {{ mapping('map_deal_types') }}
),

type_presets as (
    select
        source_value,
        contract_value
    from {{ ref('map_salesforce_deal_types') }}
),

live_opportunities as (
    select
        {{ salesforce_text(opportunity_columns, 'id') }} as deal_id,
        {{ salesforce_text(opportunity_columns, 'name') }} as deal_name,
        {{ salesforce_text(opportunity_columns, 'account_id') }} as account_id,
        {{ salesforce_text(opportunity_columns, 'owner_id') }} as owner_rep_id,
        {{ salesforce_text(opportunity_columns, 'type') }} as deal_type,
        {{ salesforce_text(opportunity_columns, 'stage_name') }} as stage,
        {{ salesforce_text(opportunity_columns, 'amount') }} as amount,
        {{ salesforce_text(opportunity_columns, 'currency_iso_code') }} as currency_code,
        {{ salesforce_text(opportunity_columns, 'created_date') }} as created_at,
        {{ salesforce_flag(opportunity_columns, 'is_closed', false) }} as is_closed,
        {{ salesforce_date_text(opportunity_columns, 'close_date') }} as close_date,
        {{ salesforce_custom_text(opportunity_columns, 'salesforce_opportunity_lost_reason_field', 'opportunity') }} as lost_reason,
        {{ salesforce_updated_at(opportunity_columns) }} as updated_at
    from opportunities
    where {{ salesforce_is_live(opportunity_columns) }}
),

converted_leads as (
    select
        {{ salesforce_text(lead_columns, 'converted_opportunity_id') }} as deal_id,
        min({{ salesforce_text(lead_columns, 'id') }}) as lead_id
    from leads
    where {{ salesforce_is_live(lead_columns) }}
        and {{ salesforce_text(lead_columns, 'converted_opportunity_id') }} is not null
    group by {{ salesforce_text(lead_columns, 'converted_opportunity_id') }}
),

ranked_line_items as (
    select
        {{ salesforce_text(line_item_columns, 'opportunity_id') }} as deal_id,
        {{ salesforce_text(line_item_columns, 'product_2_id') }} as product_id,
        row_number() over (
            partition by {{ salesforce_text(line_item_columns, 'opportunity_id') }}
            order by
                {{ salesforce_number(line_item_columns, 'total_price') }} desc nulls last,
                {{ salesforce_number(line_item_columns, 'sort_order') }} asc nulls last,
                {{ salesforce_text(line_item_columns, 'id') }} asc
        ) as line_item_rank
    from line_items
    where {{ salesforce_is_live(line_item_columns) }}
        and {{ salesforce_text(line_item_columns, 'product_2_id') }} is not null
),

deal_products as (
    select
        deal_id,
        product_id
    from ranked_line_items
    where line_item_rank = 1
),

final as (
    select
        live_opportunities.deal_id,
        live_opportunities.deal_name,
        live_opportunities.account_id,
        live_opportunities.owner_rep_id,
        converted_leads.lead_id,
        {{ salesforce_translated('live_opportunities.deal_type', 'type_mapping', 'type_presets') }} as deal_type,
        {{ salesforce_translated('live_opportunities.stage', 'stage_mapping', 'stage_presets') }} as stage,
        live_opportunities.amount,
        live_opportunities.currency_code,
        live_opportunities.created_at,
        case when live_opportunities.is_closed then live_opportunities.close_date end as closed_at,
        case when not live_opportunities.is_closed then live_opportunities.close_date end as expected_close_date,
        live_opportunities.lost_reason,
        live_opportunities.updated_at,
        deal_products.product_id
    from live_opportunities
    left join converted_leads
        on live_opportunities.deal_id = converted_leads.deal_id
    left join deal_products
        on live_opportunities.deal_id = deal_products.deal_id
    left join stage_mapping
        on {{ normalise_code('live_opportunities.stage') }} = stage_mapping.source_value
    left join stage_presets
        on {{ normalise_code('live_opportunities.stage') }} = stage_presets.source_value
    left join type_mapping
        on {{ normalise_code('live_opportunities.deal_type') }} = type_mapping.source_value
    left join type_presets
        on {{ normalise_code('live_opportunities.deal_type') }} = type_presets.source_value
)

select * from final
