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
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='replace_slice' if target.type != 'spark' else none,
    incremental_slice='snapshot_slice',
    snapshot_table='accounts',
    snapshot_key='account_id',
    indexes=replace_key_indexes(['account_id']),
    snapshot_columns=raw_columns,
    on_schema_change='fail',
) }}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__created_at_updated_at_not', 'missing_value__created_at_empty',
    'invalid_number__employee_count_not_whole', 'out_of_range__employee_count_too_large_whole',
    'negative_amount__employee_count_negative', 'invalid_value__segment_enterprise_mid_market',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('accounts') }}
),

-- the rows of the keys whose raw rows changed since the last run (all rows in a full build);
-- an unchanged key is not re-read (snapshot_slice)
batch_rows as {{ cte_materialization(is_incremental()) }} (
    {{ snapshot_batch_rows('source_rows', 'account_id') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('batch_rows', [clean_text('account_id')]) }}
),

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
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when (typed.created_at is null and typed.created_at_text is not null)
                or (typed.updated_at is null and typed.updated_at_text is not null)
                then 'created_at or updated_at is not a valid timestamp'
        end as invalid_date__created_at_updated_at_not,
        case when typed.created_at_text is null then 'created_at is empty' end as missing_value__created_at_empty,
        case
            when typed.employee_count_text is not null
                and not {{ matches_pattern('employee_count_text', integer_shape()) }}
                then 'employee_count is not a whole number'
        end as invalid_number__employee_count_not_whole,
        case
            when typed.employee_count_text is not null
                and {{ matches_pattern('employee_count_text', integer_shape()) }}
                and typed.employee_count is null
                then 'employee_count is too large for a whole number (2,147,483,647 at most)'
        end as out_of_range__employee_count_too_large_whole,
        case when typed.employee_count < 0 then 'employee_count is negative' end as negative_amount__employee_count_negative,
        case
            when typed.segment_text not in ('enterprise', 'mid_market', 'smb')
                then 'segment must be enterprise, mid_market or smb (or empty)'
        end as invalid_value__segment_enterprise_mid_market
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (duplicate_flag).
deduplicated as (
    {{ deduplicate('checked', key, 'updated_at', row_checks) }}
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
        key_checked.account_id,
        key_checked.account_name,
        key_checked.segment,
        key_checked.employee_count,
        key_checked.region,
        key_checked.industry,
        key_checked.owner_rep_id,
        key_checked.created_at,
        key_checked.updated_at,
        key_checked.row_fingerprint,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
