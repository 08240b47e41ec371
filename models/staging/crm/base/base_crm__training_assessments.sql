-- One row per raw row of crm.training_assessments: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__training_assessments keeps the passing rows.
{%- set raw_columns = ['assessment_id', 'rep_id', 'programme_id', 'assessment_type', 'assessed_at', 'score'] %}
{%- set key = ['assessment_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': 'assessed_at is null and assessed_at_text is not null', 'code': 'invalid_date', 'text': 'assessed_at is not a valid timestamp'},
    {'when': 'assessed_at_text is null or programme_id is null', 'code': 'missing_value', 'text': 'assessed_at or programme_id is empty'},
    {'when': "assessment_type is null or assessment_type not in ('post_training', 'reassessment')", 'code': 'invalid_value', 'text': 'assessment_type must be post_training or reassessment'},
] + number_checks('score', 'score', 'score_text', 'decimal(38, 18)', none, 2) + [
    {'when': 'score_text is null', 'code': 'missing_value', 'text': 'score is empty'},
    {'when': 'score < 0 or score > 100', 'code': 'invalid_value', 'text': 'score must be between 0 and 100'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('training_assessments') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('assessment_id')]) }}

typed as (
    select
        {{ clean_text('assessment_id') }} as assessment_id,
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('programme_id') }} as programme_id,
        lower({{ clean_text('assessment_type') }}) as assessment_type,
        {{ clean_text('assessed_at') }} as assessed_at_text,
        {{ parse_timestamp('assessed_at') }} as assessed_at,
        {{ clean_text('score') }} as score_text,
        {{ try_cast(clean_text('score'), 'decimal(5, 2)') }} as score,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.assessment_id,
        typed.rep_id,
        typed.programme_id,
        typed.assessment_type,
        typed.assessed_at_text,
        typed.assessed_at,
        typed.score_text,
        typed.score,
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.assessment_id,
        flagged_rows.rep_id,
        flagged_rows.programme_id,
        flagged_rows.assessment_type,
        flagged_rows.assessed_at_text,
        flagged_rows.assessed_at,
        flagged_rows.score_text,
        flagged_rows.score,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
