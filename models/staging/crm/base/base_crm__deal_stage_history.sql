-- One row per raw row of crm.deal_stage_history: typed, normalised, and the reason it cannot
-- be staged (NULL = it is staged). stg_crm__deal_stage_history keeps the passing rows.
{{ config(
    materialized=event_base_materialization(),
    unique_key='batch_key',
    incremental_strategy='delete+insert' if target.type != 'spark' else none,
    on_schema_change='fail',
) }}
{%- set raw_columns = ['stage_history_id', 'deal_id', 'stage', 'entered_at'] %}
{%- set key = ['stage_history_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': 'entered_at is null and entered_at_text is not null', 'code': 'invalid_date', 'text': 'entered_at is not a valid timestamp'},
    {'when': 'entered_at_text is null', 'code': 'missing_value', 'text': 'entered_at is empty'},
    {'when': 'stage_mapping.source_value is null', 'code': 'unmapped_stage', 'text': 'stage has no row in seed map_deal_stages'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('deal_stage_history') }}
),

stage_mapping as (
    select * from {{ mapping('map_deal_stages') }}
),

{{ incremental_event_batch('stage_history_id', 'entered_at') }}

{{ mark_repeated_keys('batch_rows', [clean_text('stage_history_id')]) }}

typed as (
    select
        {{ clean_text('stage_history_id') }} as stage_history_id,
        {{ clean_text('deal_id') }} as deal_id,
        {{ normalise_code('stage') }} as stage_normalised,
        {{ clean_text('entered_at') }} as entered_at_text,
        {{ parse_timestamp('entered_at') }} as entered_at,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

keyed as (
    select
        typed.*,
        coalesce(typed.stage_history_id, {{ dbt.concat(["'#'", 'typed.row_fingerprint']) }}) as batch_key
    from typed
),

checked as {{ cte_materialization(false) }} (
    select
        keyed.stage_history_id,
        keyed.deal_id,
        keyed.stage_normalised,
        keyed.entered_at_text,
        keyed.entered_at,
        keyed.batch_key,
        stage_mapping.canonical_stage as stage,
        stage_mapping.stage_order,
        stage_mapping.stage_category,
        stage_mapping.is_qualified,
        {{ row_check_columns('keyed', row_checks) }}
    from keyed
    left join stage_mapping
        on keyed.stage_normalised = stage_mapping.source_value
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.stage_history_id,
        flagged_rows.deal_id,
        flagged_rows.stage_normalised,
        flagged_rows.entered_at_text,
        flagged_rows.entered_at,
        flagged_rows.batch_key,
        flagged_rows.stage,
        flagged_rows.stage_order,
        flagged_rows.stage_category,
        flagged_rows.is_qualified,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
