-- One row per raw row of crm.reps: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__reps keeps the passing rows, rejected_rows the others.
{%- set raw_columns = ['rep_id', 'rep_name', 'email', 'role', 'hire_date', 'termination_date', 'updated_at'] %}
{%- set key = ['rep_id'] %}
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='replace_slice' if target.type != 'spark' else none,
    incremental_slice='snapshot_slice',
    snapshot_table='reps',
    snapshot_key='rep_id',
    indexes=replace_key_indexes(['rep_id']),
    snapshot_columns=raw_columns,
    on_schema_change='fail',
) }}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__hire_date_termination_date', 'impossible_date__termination_date_before',
    'invalid_value__role_account_executive_sdr',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('reps') }}
),

-- the rows of the keys whose raw rows changed since the last run (all rows in a full build);
-- an unchanged key is not re-read (snapshot_slice)
batch_rows as {{ cte_materialization(is_incremental()) }} (
    {{ snapshot_batch_rows('source_rows', 'rep_id') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('batch_rows', [clean_text('rep_id')]) }}
),

typed as (
    select
        {{ clean_text('rep_id') }} as rep_id,
        coalesce({{ clean_text('rep_name') }}, {{ clean_text('rep_id') }}) as rep_name,
        lower({{ clean_text('email') }}) as email,
        coalesce(lower({{ clean_text('role') }}), {{ sql_string_literal(var('default_rep_role')) }}) as role,
        {{ clean_text('hire_date') }} as hire_date_text,
        {{ parse_date('hire_date') }} as hire_date,
        {{ clean_text('termination_date') }} as termination_date_text,
        {{ parse_date('termination_date') }} as termination_date,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.rep_id,
        typed.rep_name,
        typed.email,
        typed.role,
        typed.hire_date_text,
        typed.hire_date,
        typed.termination_date_text,
        typed.termination_date,
        typed.updated_at_text,
        typed.updated_at,
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when (typed.hire_date is null and typed.hire_date_text is not null)
                or (typed.termination_date is null and typed.termination_date_text is not null)
                or (typed.updated_at is null and typed.updated_at_text is not null)
                then 'hire_date, termination_date or updated_at is not a valid date/timestamp'
        end as invalid_date__hire_date_termination_date,
        case
            when typed.termination_date < typed.hire_date
                then 'termination_date is before hire_date'
        end as impossible_date__termination_date_before,
        case
            when typed.role not in ('account_executive', 'sdr', 'manager')
                then 'role must be account_executive, sdr or manager (or empty: var default_rep_role)'
        end as invalid_value__role_account_executive_sdr
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
        key_checked.rep_id,
        key_checked.rep_name,
        key_checked.email,
        key_checked.role,
        key_checked.hire_date,
        key_checked.termination_date,
        key_checked.updated_at,
        key_checked.row_fingerprint,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
