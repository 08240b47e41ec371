-- One row per raw row of crm.reps: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__reps keeps the passing rows, rejected_rows the others.
{%- set raw_columns = ['rep_id', 'rep_name', 'email', 'role', 'hire_date', 'termination_date', 'updated_at'] %}
{%- set key = ['rep_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': '(hire_date is null and hire_date_text is not null) or (termination_date is null and termination_date_text is not null) or (updated_at is null and updated_at_text is not null)',
     'code': 'invalid_date', 'text': 'hire_date, termination_date or updated_at is not a valid date/timestamp'},
    {'when': 'termination_date < hire_date', 'code': 'impossible_date', 'text': 'termination_date is before hire_date'},
    {'when': "role not in ('account_executive', 'sdr', 'manager')", 'code': 'invalid_value', 'text': 'role must be account_executive, sdr or manager (or empty: var default_rep_role)'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('reps') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('rep_id')]) }}

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
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key, 'updated_at') }}

validated as (
    select
        flagged_rows.rep_id,
        flagged_rows.rep_name,
        flagged_rows.email,
        flagged_rows.role,
        flagged_rows.hire_date_text,
        flagged_rows.hire_date,
        flagged_rows.termination_date_text,
        flagged_rows.termination_date,
        flagged_rows.updated_at_text,
        flagged_rows.updated_at,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
