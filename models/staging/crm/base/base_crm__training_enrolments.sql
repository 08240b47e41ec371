-- One row per raw row of crm.training_enrolments: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__training_enrolments keeps the passing rows.
{%- set raw_columns = ['enrolment_id', 'rep_id', 'programme_id', 'programme_name', 'enrolled_at', 'completed_at'] %}
{%- set key = ['enrolment_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': '(enrolled_at is null and enrolled_at_text is not null) or (completed_at is null and completed_at_text is not null)', 'code': 'invalid_date', 'text': 'enrolled_at or completed_at is not a valid timestamp'},
    {'when': 'enrolled_at_text is null or programme_id is null', 'code': 'missing_value', 'text': 'enrolled_at or programme_id is empty'},
    {'when': is_before('completed_at', 'enrolled_at'), 'code': 'impossible_date', 'text': 'completed_at is before enrolled_at'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('training_enrolments') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('enrolment_id')]) }}

typed as (
    select
        {{ clean_text('enrolment_id') }} as enrolment_id,
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('programme_id') }} as programme_id,
        {{ clean_text('programme_name') }} as programme_name,
        {{ clean_text('enrolled_at') }} as enrolled_at_text,
        {{ parse_timestamp('enrolled_at') }} as enrolled_at,
        {{ clean_text('completed_at') }} as completed_at_text,
        {{ parse_timestamp('completed_at') }} as completed_at,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.enrolment_id,
        typed.rep_id,
        typed.programme_id,
        typed.programme_name,
        typed.enrolled_at_text,
        typed.enrolled_at,
        typed.completed_at_text,
        typed.completed_at,
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.enrolment_id,
        flagged_rows.rep_id,
        flagged_rows.programme_id,
        flagged_rows.programme_name,
        flagged_rows.enrolled_at_text,
        flagged_rows.enrolled_at,
        flagged_rows.completed_at_text,
        flagged_rows.completed_at,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
