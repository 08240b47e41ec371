-- One row per raw row of crm.content_usage: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__content_usage keeps the passing rows.
{%- set raw_columns = ['usage_id', 'asset_id', 'rep_id', 'deal_id', 'used_at'] %}
{%- set key = ['usage_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': 'used_at is null and used_at_text is not null', 'code': 'invalid_date', 'text': 'used_at is not a valid timestamp'},
    {'when': 'used_at_text is null', 'code': 'missing_value', 'text': 'used_at is empty'},
    {'when': 'asset_id is null', 'code': 'missing_value', 'text': 'asset_id is empty: a use of no asset counts for no KPI'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('content_usage') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('usage_id')]) }}

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
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.usage_id,
        flagged_rows.asset_id,
        flagged_rows.rep_id,
        flagged_rows.deal_id,
        flagged_rows.used_at_text,
        flagged_rows.used_at,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
