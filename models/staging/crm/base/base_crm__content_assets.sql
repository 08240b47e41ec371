-- One row per raw row of crm.content_assets: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__content_assets keeps the passing rows.
{%- set raw_columns = ['asset_id', 'asset_name', 'asset_type', 'published_at'] %}
{%- set checks = dedupe_checks(['asset_id'], 'typed') + [
    {'when': 'published_at is null and published_at_text is not null', 'code': 'invalid_date', 'text': 'published_at is not a valid timestamp'},
    {'when': 'asset_name is null', 'code': 'missing_value', 'text': 'asset_name is empty'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('content_assets') }}
),

{{ flag_duplicate_rows('source_rows', raw_columns, [clean_text('asset_id')]) }}

typed as (
    select
        {{ clean_text('asset_id') }} as asset_id,
        {{ clean_text('asset_name') }} as asset_name,
        lower({{ clean_text('asset_type') }}) as asset_type,
        {{ clean_text('published_at') }} as published_at_text,
        {{ parse_timestamp('published_at') }} as published_at,
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

validated as (
    select
        typed.asset_id,
        typed.asset_name,
        typed.asset_type,
        typed.published_at_text,
        typed.published_at,
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
