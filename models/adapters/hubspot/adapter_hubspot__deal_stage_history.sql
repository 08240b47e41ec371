-- The contract's deal_stage_history from HubSpot's deal_stage table (input_mode hubspot): one row
-- per stage value a deal took, entered at date_entered, every column as text. _fivetran_active
-- only marks the deal's current stage there, so every row is history and none is dropped for it;
-- rows of a deleted deal (is_deleted), of a deal merged into another, or marked
-- _fivetran_deleted are dropped. The stage is named as in adapter_hubspot__deals (pipeline stage
-- label, else id; HubSpot presets for the default pipeline). The row key is the deal id and the
-- row's _fivetran_start (date_entered when the table has no _fivetran_start).

with

deal_stages as (
    {{ hubspot_table('deal_stage', [
        ['deal_id', 'deal_id', 'text'],
        ['stage_id', 'value', 'text'],
        ['entered_at', 'date_entered', 'timestamp'],
        ['version_start', ['_fivetran_start', 'date_entered'], 'timestamp'],
    ]) | indent(4) }}
),

deals as (
    {{ hubspot_table('deal', [['deal_id', 'deal_id', 'text']], required=true) | indent(4) }}
),

merged_deals as (
    {{ hubspot_table('merged_deal', [['merged_deal_id', 'merged_deal_id', 'text']]) | indent(4) }}
),

pipeline_stages as (
    {{ hubspot_table('deal_pipeline_stage', [['stage_id', 'stage_id', 'text'], ['stage_label', 'label', 'text']]) | indent(4) }}
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

removed_deals as (
    select deals.deal_id
    from deals
    where deals.hubspot_is_deleted
    union
    select merged_deals.merged_deal_id as deal_id
    from merged_deals
    where not merged_deals.hubspot_is_deleted
),

stage_labels as (
    select
        stage_id,
        min(stage_label) as stage_label
    from pipeline_stages
    where not hubspot_is_deleted
    group by stage_id
),

live_stages as (
    select
        deal_stages.deal_id,
        deal_stages.entered_at,
        deal_stages.version_start,
        coalesce(stage_labels.stage_label, deal_stages.stage_id) as stage
    from deal_stages
    left join removed_deals
        on deal_stages.deal_id = removed_deals.deal_id
    left join stage_labels
        on deal_stages.stage_id = stage_labels.stage_id
    where not deal_stages.hubspot_is_deleted
        and removed_deals.deal_id is null
),

final as (
    select
        {{ dbt.concat(['live_stages.deal_id', "':'", 'live_stages.version_start']) }} as stage_history_id,
        live_stages.deal_id,
        {{ hubspot_translated('live_stages.stage', 'stage_mapping', 'stage_presets') }} as stage,
        live_stages.entered_at
    from live_stages
    left join stage_mapping
        on {{ normalise_code('live_stages.stage') }} = stage_mapping.source_value
    left join stage_presets
        on {{ normalise_code('live_stages.stage') }} = stage_presets.source_value
)

select * from final
