-- The contract's deal_stage_history from Salesforce's opportunity_history (input_mode
-- salesforce): one row each time an opportunity entered a stage. Two shapes are read:
-- - Fivetran's history-mode table of Opportunity (id, _fivetran_start, one row per version of
--   any field): a version whose stage differs from the version before it is a stage entry, at
--   its _fivetran_start;
-- - Salesforce's OpportunityHistory object (opportunity_id, created_date, one row per change of
--   stage, amount or close date): likewise, at its created_date.
-- Versions marked deleted, and every version of an opportunity that is not live (deleted, or
-- absent from the opportunity table), are filtered out. Past versions (_fivetran_active false)
-- are the history itself and are kept.
{%- set history_columns = salesforce_columns('opportunity_history') %}
{%- set opportunity_columns = salesforce_columns('opportunity') %}
{%- set is_object_shape = 'opportunity_id' in history_columns %}
{%- set deal_key = 'opportunity_id' if is_object_shape else 'id' %}
{%- set entered_key = 'created_date' if is_object_shape else '_fivetran_start' %}

with

history as (
    select * from {{ source('salesforce', 'opportunity_history') }}
),

opportunities as (
    select * from {{ source('salesforce', 'opportunity') }}
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

live_opportunities as (
    select distinct {{ salesforce_text(opportunity_columns, 'id') }} as deal_id
    from opportunities
    where {{ salesforce_is_live(opportunity_columns) }}
),

versions as (
    select
        {{ salesforce_text(history_columns, deal_key) }} as deal_id,
        {{ salesforce_text(history_columns, 'stage_name') }} as stage,
        {{ salesforce_text(history_columns, entered_key) }} as entered_at,
        {%- if is_object_shape %}
        {{ salesforce_text(history_columns, 'id') }} as version_id
        {%- else %}
        {{ dbt.concat([salesforce_text(history_columns, 'id'), "'@'", salesforce_text(history_columns, '_fivetran_start')]) }} as version_id
        {%- endif %}
    from history
    where not {{ salesforce_is_deleted(history_columns) }}
),

live_versions as (
    select versions.*
    from versions
    inner join live_opportunities
        on versions.deal_id = live_opportunities.deal_id
),

sequenced as (
    select
        live_versions.*,
        lag(live_versions.stage)
            over (partition by live_versions.deal_id order by live_versions.entered_at, live_versions.version_id)
            as previous_stage
    from live_versions
),

final as (
    select
        sequenced.version_id as stage_history_id,
        sequenced.deal_id,
        {{ salesforce_translated('sequenced.stage', 'stage_mapping', 'stage_presets') }} as stage,
        sequenced.entered_at
    from sequenced
    left join stage_mapping
        on {{ normalise_code('sequenced.stage') }} = stage_mapping.source_value
    left join stage_presets
        on {{ normalise_code('sequenced.stage') }} = stage_presets.source_value
    where sequenced.previous_stage is null
        or sequenced.stage <> sequenced.previous_stage
)

select * from final
