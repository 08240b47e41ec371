-- One row per raw row of crm.accounts: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__accounts keeps the passing rows, rejected_rows the others.
{%- set raw_columns = [
    'account_id', 'account_name', 'segment', 'region', 'industry', 'owner_rep_id',
    'created_at', 'updated_at',
] %}
{%- set checks = dedupe_checks(['account_id'], 'typed') + [
    {'when': '(created_at is null and created_at_text is not null) or (updated_at is null and updated_at_text is not null)',
     'code': 'invalid_date', 'text': 'created_at or updated_at is not a valid timestamp'},
    {'when': 'created_at_text is null', 'code': 'missing_value', 'text': 'created_at is empty'},
    {'when': "segment not in ('enterprise', 'mid_market', 'smb', '(unknown)')", 'code': 'invalid_value', 'text': 'segment must be enterprise, mid_market or smb (or empty)'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('accounts') }}
),

{{ flag_duplicate_rows('source_rows', raw_columns, [clean_text('account_id')], 'updated_at') }}

typed as (
    select
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('account_name') }} as account_name,
        coalesce(lower({{ clean_text('segment') }}), {{ unknown_member() }}) as segment,
        coalesce(lower({{ clean_text('region') }}), {{ unknown_member() }}) as region,
        coalesce(lower({{ clean_text('industry') }}), {{ unknown_member() }}) as industry,
        {{ clean_text('owner_rep_id') }} as owner_rep_id,
        {{ clean_text('created_at') }} as created_at_text,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ parse_timestamp('updated_at') }} as updated_at,
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

validated as (
    select
        typed.account_id,
        typed.account_name,
        typed.segment,
        typed.region,
        typed.industry,
        typed.owner_rep_id,
        typed.created_at_text,
        typed.created_at,
        typed.updated_at_text,
        typed.updated_at,
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
