-- One row per raw row of crm.content_assets: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__content_assets keeps the passing rows.
{%- set raw_columns = ['asset_id', 'asset_name', 'asset_type', 'published_at'] %}
{%- set key = ['asset_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__published_at_not_valid', 'missing_value__asset_name_empty',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('content_assets') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('asset_id')]) }}
),

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
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when typed.published_at is null and typed.published_at_text is not null
                then 'published_at is not a valid timestamp'
        end as invalid_date__published_at_not_valid,
        case when typed.asset_name is null then 'asset_name is empty' end as missing_value__asset_name_empty
    from typed
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
        key_checked.asset_id,
        key_checked.asset_name,
        key_checked.asset_type,
        key_checked.published_at,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
