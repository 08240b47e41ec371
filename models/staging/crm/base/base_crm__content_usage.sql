-- One row per raw row of crm.content_usage: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__content_usage keeps the passing rows.
{%- set raw_columns = ['usage_id', 'asset_id', 'rep_id', 'deal_id', 'used_at'] %}
{%- set key = ['usage_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__used_at_not_valid_timestamp', 'missing_value__used_at_empty',
    'missing_value__asset_id_empty_use_no_asset',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('content_usage') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('usage_id')]) }}
),

typed as (
    select
        {{ clean_text('usage_id') }} as usage_id,
        {{ clean_text('asset_id') }} as asset_id,
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('deal_id') }} as deal_id,
        {{ clean_text('used_at') }} as used_at_text,
        {{ parse_timestamp('used_at') }} as used_at,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.usage_id,
        typed.asset_id,
        typed.rep_id,
        typed.deal_id,
        typed.used_at_text,
        typed.used_at,
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when typed.used_at is null and typed.used_at_text is not null
                then 'used_at is not a valid timestamp'
        end as invalid_date__used_at_not_valid_timestamp,
        case when typed.used_at_text is null then 'used_at is empty' end as missing_value__used_at_empty,
        case
            when typed.asset_id is null
                then 'asset_id is empty: a use of no asset counts for no KPI'
        end as missing_value__asset_id_empty_use_no_asset
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
        key_checked.usage_id,
        key_checked.asset_id,
        key_checked.rep_id,
        key_checked.deal_id,
        key_checked.used_at,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
