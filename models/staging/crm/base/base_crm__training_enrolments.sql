-- One row per raw row of crm.training_enrolments: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__training_enrolments keeps the passing rows.
{%- set raw_columns = ['enrolment_id', 'rep_id', 'programme_id', 'programme_name', 'enrolled_at', 'completed_at'] %}
{%- set key = ['enrolment_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__enrolled_at_completed_at_not', 'missing_value__enrolled_at_programme_id_empty',
    'impossible_date__completed_at_before',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('training_enrolments') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('enrolment_id')]) }}
),

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
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when (typed.enrolled_at is null and typed.enrolled_at_text is not null)
                or (typed.completed_at is null and typed.completed_at_text is not null)
                then 'enrolled_at or completed_at is not a valid timestamp'
        end as invalid_date__enrolled_at_completed_at_not,
        case
            when typed.enrolled_at_text is null or typed.programme_id is null
                then 'enrolled_at or programme_id is empty'
        end as missing_value__enrolled_at_programme_id_empty,
        case
            when {{ is_before('completed_at', 'enrolled_at') }}
                then 'completed_at is before enrolled_at'
        end as impossible_date__completed_at_before
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
        key_checked.enrolment_id,
        key_checked.rep_id,
        key_checked.programme_id,
        key_checked.programme_name,
        key_checked.enrolled_at,
        key_checked.completed_at,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
