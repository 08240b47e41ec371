-- One row per raw row of crm.deal_stage_history: typed, normalised, and the reason it cannot
-- be staged (NULL = it is staged). stg_crm__deal_stage_history keeps the passing rows.
{{ config(
    materialized=event_base_materialization(),
    unique_key='batch_key',
    incremental_strategy='delete+insert' if target.type != 'spark' else none,
    on_schema_change='fail',
) }}
{%- set raw_columns = ['stage_history_id', 'deal_id', 'stage', 'entered_at'] %}
{%- set checks = dedupe_checks(['stage_history_id']) + [
    {'when': 'entered_at is null and entered_at_text is not null', 'code': 'invalid_date', 'text': 'entered_at is not a valid timestamp'},
    {'when': 'entered_at is null', 'code': 'missing_value', 'text': 'entered_at is empty'},
    {'when': 'stage_mapping.source_value is null', 'code': 'unmapped_stage', 'text': 'stage has no row in seed map_deal_stages'},
    {'when': 'known_deals.deal_id is null', 'code': 'orphan_reference', 'text': 'deal_id is not a staged deal'},
] %}

with

source_rows as (
    select * from {{ crm_source('deal_stage_history') }}
),

stage_mapping as (
    select * from {{ ref('map_deal_stages') }}
),

known_deals as (
    select deal_id from {{ ref('stg_crm__deals') }}
),

{{ incremental_event_batch('stage_history_id', 'entered_at', 'known_deals', 'deal_id') }}

typed as (
    select
        {{ clean_text('stage_history_id') }} as stage_history_id,
        {{ clean_text('deal_id') }} as deal_id,
        {{ normalise_code('stage') }} as stage_normalised,
        {{ clean_text('entered_at') }} as entered_at_text,
        {{ parse_timestamp('entered_at') }} as entered_at,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values
    from batch_rows
),

keyed as (
    select
        typed.*,
        coalesce(typed.stage_history_id, {{ dbt.concat(["'#'", 'typed.row_fingerprint']) }}) as batch_key
    from typed
),

-- Flagged within batch_key (for a keyless row: its own fingerprint), so no row's flags depend
-- on which other rows a run happened to read.
versioned as (
    select
        keyed.*,
        {{ dedupe_columns(['batch_key']) }}
    from keyed
),

validated as (
    select
        versioned.*,
        stage_mapping.canonical_stage as stage,
        stage_mapping.stage_order,
        stage_mapping.stage_category,
        stage_mapping.is_qualified,
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ first_failed_check(checks, 'text') }} as reason_text
    from versioned
    left join stage_mapping
        on versioned.stage_normalised = stage_mapping.source_value
    left join known_deals
        on versioned.deal_id = known_deals.deal_id
)

select * from validated
