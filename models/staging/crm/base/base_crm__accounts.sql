-- One row per raw row of crm.accounts: typed, normalised, and every reason it cannot be staged
-- (NULL = it is staged). stg_crm__accounts keeps the passing rows, rejected_rows the others.
-- An empty segment is derived from employee_count (var segment_employee_thresholds), else
-- (unknown); an empty region or industry is (unknown).
{%- set thresholds = var('segment_employee_thresholds') %}
{%- set raw_columns = [
    'account_id', 'account_name', 'segment', 'region', 'industry', 'employee_count', 'owner_rep_id',
    'created_at', 'updated_at',
] %}
{%- set key = ['account_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': '(created_at is null and created_at_text is not null) or (updated_at is null and updated_at_text is not null)',
     'code': 'invalid_date', 'text': 'created_at or updated_at is not a valid timestamp'},
    {'when': 'created_at_text is null', 'code': 'missing_value', 'text': 'created_at is empty'},
] + integer_checks('employee_count', 'employee_count', 'employee_count_text') + [
    {'when': 'employee_count < 0', 'code': 'negative_amount', 'text': 'employee_count is negative'},
    {'when': "segment_text not in ('enterprise', 'mid_market', 'smb')", 'code': 'invalid_value', 'text': 'segment must be enterprise, mid_market or smb (or empty)'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('accounts') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('account_id')]) }}

typed as (
    select
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('account_name') }} as account_name,
        lower({{ clean_text('segment') }}) as segment_text,
        {{ clean_text('employee_count') }} as employee_count_text,
        {{ try_cast(clean_text('employee_count'), 'integer') }} as employee_count,
        coalesce(lower({{ clean_text('region') }}), {{ unknown_member() }}) as region,
        coalesce(lower({{ clean_text('industry') }}), {{ unknown_member() }}) as industry,
        {{ clean_text('owner_rep_id') }} as owner_rep_id,
        {{ clean_text('created_at') }} as created_at_text,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.account_id,
        typed.account_name,
        coalesce(
            typed.segment_text,
            case
                when typed.employee_count >= {{ thresholds['enterprise'] | int }} then 'enterprise'
                when typed.employee_count >= {{ thresholds['mid_market'] | int }} then 'mid_market'
                when typed.employee_count >= 0 then 'smb'
            end,
            {{ unknown_member() }}
        ) as segment,
        typed.segment_text,
        typed.employee_count_text,
        typed.employee_count,
        typed.region,
        typed.industry,
        typed.owner_rep_id,
        typed.created_at_text,
        typed.created_at,
        typed.updated_at_text,
        typed.updated_at,
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key, 'updated_at') }}

validated as (
    select
        flagged_rows.account_id,
        flagged_rows.account_name,
        flagged_rows.segment,
        flagged_rows.segment_text,
        flagged_rows.employee_count_text,
        flagged_rows.employee_count,
        flagged_rows.region,
        flagged_rows.industry,
        flagged_rows.owner_rep_id,
        flagged_rows.created_at_text,
        flagged_rows.created_at,
        flagged_rows.updated_at_text,
        flagged_rows.updated_at,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
