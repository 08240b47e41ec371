-- One row per raw row of crm.deal_stage_history: typed, normalised, and the reason it cannot
-- be staged (NULL = it is staged). stg_crm__deal_stage_history keeps the passing rows.
{{ config(
    materialized=event_base_materialization(),
    unique_key='batch_key',
    incremental_strategy='delete+insert' if target.type != 'spark' else none,
    on_schema_change='fail',
) }}
{%- set raw_columns = ['stage_history_id', 'deal_id', 'stage', 'entered_at'] %}
{%- set checks = dedupe_checks(['stage_history_id'], 'keyed') + [
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

-- Flagged within the key (for a keyless row: its own fingerprint, as batch_key below), so no
-- row's flags depend on which other rows a run happened to read.
{{ flag_duplicate_rows('batch_rows', raw_columns, [clean_text('stage_history_id')], keyless_by_fingerprint=true) }}

typed as (
    select
        {{ clean_text('stage_history_id') }} as stage_history_id,
        {{ clean_text('deal_id') }} as deal_id,
        {{ normalise_code('stage') }} as stage_normalised,
        {{ clean_text('entered_at') }} as entered_at_text,
        {{ parse_timestamp('entered_at') }} as entered_at,
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

keyed as (
    select
        typed.*,
        coalesce(typed.stage_history_id, {{ dbt.concat(["'#'", 'typed.row_fingerprint']) }}) as batch_key
    from typed
),

validated as (
    select
        keyed.stage_history_id,
        keyed.deal_id,
        keyed.stage_normalised,
        keyed.entered_at_text,
        keyed.entered_at,
        {{ base_audit_columns('keyed', checks) }},
        keyed.batch_key,
        stage_mapping.canonical_stage as stage,
        stage_mapping.stage_order,
        stage_mapping.stage_category,
        stage_mapping.is_qualified,
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from keyed
    left join stage_mapping
        on keyed.stage_normalised = stage_mapping.source_value
)

select * from validated
