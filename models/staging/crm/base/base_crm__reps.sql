-- One row per raw row of crm.reps: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__reps keeps the passing rows, rejected_rows the others.
{%- set raw_columns = ['rep_id', 'rep_name', 'email', 'role', 'hire_date', 'termination_date', 'updated_at'] %}
{%- set checks = dedupe_checks(['rep_id'], 'typed') + [
    {'when': '(hire_date is null and hire_date_text is not null) or (termination_date is null and termination_date_text is not null) or (updated_at is null and updated_at_text is not null)',
     'code': 'invalid_date', 'text': 'hire_date, termination_date or updated_at is not a valid date/timestamp'},
    {'when': 'termination_date < hire_date', 'code': 'impossible_date', 'text': 'termination_date is before hire_date'},
    {'when': "role not in ('account_executive', 'sdr', 'manager')", 'code': 'invalid_value', 'text': 'role must be account_executive, sdr or manager (or empty: var default_rep_role)'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('reps') }}
),

{{ flag_duplicate_rows('source_rows', raw_columns, [clean_text('rep_id')], 'updated_at') }}

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
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

validated as (
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
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
