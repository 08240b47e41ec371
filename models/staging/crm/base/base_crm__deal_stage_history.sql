-- One row per raw row of crm.deal_stage_history: typed, normalised, and the reason it cannot
-- be staged (NULL = it is staged). stg_crm__deal_stage_history keeps the passing rows.
{{ config(
    materialized=incremental_materialization(),
    unique_key='batch_key',
    indexes=replace_key_indexes(['batch_key']),
    incremental_strategy='delete+insert' if target.type != 'spark' else none,
    on_schema_change='fail',
) }}
{%- set raw_columns = ['stage_history_id', 'deal_id', 'stage', 'entered_at'] %}
{%- set key = ['stage_history_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__entered_at_not_valid_timestamp', 'missing_value__entered_at_empty',
    'unmapped_stage__stage_no_row_seed',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('deal_stage_history') }}
),

stage_mapping as (
    select * from {{ mapping('map_deal_stages') }}
),

batch_rows as {{ cte_materialization(is_incremental()) }} (
    {{ event_batch_rows('source_rows', 'stage_history_id', 'entered_at') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('batch_rows', [clean_text('stage_history_id')]) }}
),

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
        keyed.row_fingerprint,
        keyed.raw_values,
        keyed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when keyed.entered_at is null and keyed.entered_at_text is not null
                then 'entered_at is not a valid timestamp'
        end as invalid_date__entered_at_not_valid_timestamp,
        case when keyed.entered_at_text is null then 'entered_at is empty' end as missing_value__entered_at_empty,
        case
            when stage_mapping.source_value is null
                then 'stage has no row in seed map_deal_stages'
        end as unmapped_stage__stage_no_row_seed
    from keyed
    left join stage_mapping
        on keyed.stage_normalised = stage_mapping.source_value
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (duplicate_flag).
deduplicated as (
    {{ deduplicate('checked', key, none, row_checks) }}
),

-- the key checks: the reason text when the row fails the check, else NULL
key_checked as (
    select
        deduplicated.*,
        {{ key_check_columns('deduplicated', key) }}
    from deduplicated
),

validated as (
    select
        key_checked.stage_history_id,
        key_checked.deal_id,
        key_checked.entered_at,
        key_checked.batch_key,
        key_checked.stage,
        key_checked.stage_order,
        key_checked.stage_category,
        key_checked.is_qualified,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
