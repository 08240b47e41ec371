-- One row per raw row of crm.training_assessments: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__training_assessments keeps the passing rows.
{%- set raw_columns = ['assessment_id', 'rep_id', 'programme_id', 'assessment_type', 'assessed_at', 'score'] %}
{%- set checks = dedupe_checks(['assessment_id'], 'typed') + [
    {'when': 'assessed_at is null and assessed_at_text is not null', 'code': 'invalid_date', 'text': 'assessed_at is not a valid timestamp'},
    {'when': 'assessed_at is null or programme_id is null', 'code': 'missing_value', 'text': 'assessed_at or programme_id is empty'},
    {'when': "assessment_type is null or assessment_type not in ('post_training', 'reassessment')", 'code': 'invalid_value', 'text': 'assessment_type must be post_training or reassessment'},
    {'when': 'score is null and score_text is not null', 'code': 'invalid_number', 'text': 'score is not a number'},
    {'when': 'score_text is null', 'code': 'missing_value', 'text': 'score is empty'},
    {'when': 'score < 0 or score > 100', 'code': 'invalid_value', 'text': 'score must be between 0 and 100'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('training_assessments') }}
),

{{ flag_duplicate_rows('source_rows', raw_columns, [clean_text('assessment_id')]) }}

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
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

validated as (
    select
        typed.assessment_id,
        typed.rep_id,
        typed.programme_id,
        typed.assessment_type,
        typed.assessed_at_text,
        typed.assessed_at,
        typed.score_text,
        typed.score,
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
