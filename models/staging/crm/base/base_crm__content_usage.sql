-- One row per raw row of crm.content_usage: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__content_usage keeps the passing rows.
{%- set raw_columns = ['usage_id', 'asset_id', 'rep_id', 'deal_id', 'used_at'] %}
{%- set checks = dedupe_checks(['usage_id'], 'typed') + [
    {'when': 'used_at is null and used_at_text is not null', 'code': 'invalid_date', 'text': 'used_at is not a valid timestamp'},
    {'when': 'used_at_text is null', 'code': 'missing_value', 'text': 'used_at is empty'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('content_usage') }}
),

{{ flag_duplicate_rows('source_rows', raw_columns, [clean_text('usage_id')]) }}

typed as (
    select
        {{ clean_text('usage_id') }} as usage_id,
        {{ clean_text('asset_id') }} as asset_id,
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('deal_id') }} as deal_id,
        {{ clean_text('used_at') }} as used_at_text,
        {{ parse_timestamp('used_at') }} as used_at,
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

validated as (
    select
        typed.usage_id,
        typed.asset_id,
        typed.rep_id,
        typed.deal_id,
        typed.used_at_text,
        typed.used_at,
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
