-- One row per raw row of crm.content_assets: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__content_assets keeps the passing rows.
{%- set raw_columns = ['asset_id', 'asset_name', 'asset_type', 'published_at'] %}
{%- set key = ['asset_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': 'published_at is null and published_at_text is not null', 'code': 'invalid_date', 'text': 'published_at is not a valid timestamp'},
    {'when': 'asset_name is null', 'code': 'missing_value', 'text': 'asset_name is empty'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('content_assets') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('asset_id')]) }}

typed as (
    select
        {{ clean_text('asset_id') }} as asset_id,
        {{ clean_text('asset_name') }} as asset_name,
        lower({{ clean_text('asset_type') }}) as asset_type,
        {{ clean_text('published_at') }} as published_at_text,
        {{ parse_timestamp('published_at') }} as published_at,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.asset_id,
        typed.asset_name,
        typed.asset_type,
        typed.published_at_text,
        typed.published_at,
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.asset_id,
        flagged_rows.asset_name,
        flagged_rows.asset_type,
        flagged_rows.published_at_text,
        flagged_rows.published_at,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
