-- One row per raw row of crm.training_assessments: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__training_assessments keeps the passing rows.
{%- set raw_columns = ['assessment_id', 'rep_id', 'programme_id', 'assessment_type', 'assessed_at', 'score'] %}
{%- set key = ['assessment_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__assessed_at_not_valid', 'missing_value__assessed_at_programme_id_empty',
    'invalid_value__assessment_type_post_training', 'invalid_number__score_not_number',
    'out_of_range__score_too_large_warehouse', 'excess_precision__score_more_than_2_decimal',
    'missing_value__score_empty', 'invalid_value__score_between_0_100',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('training_assessments') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('assessment_id')]) }}
),

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
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when typed.assessed_at is null and typed.assessed_at_text is not null
                then 'assessed_at is not a valid timestamp'
        end as invalid_date__assessed_at_not_valid,
        case
            when typed.assessed_at_text is null or typed.programme_id is null
                then 'assessed_at or programme_id is empty'
        end as missing_value__assessed_at_programme_id_empty,
        case
            when typed.assessment_type is null
                or typed.assessment_type not in ('post_training', 'reassessment')
                then 'assessment_type must be post_training or reassessment'
        end as invalid_value__assessment_type_post_training,
        case
            when typed.score_text is not null
                and not {{ matches_pattern('score_text', number_shape()) }}
                then 'score is not a number'
        end as invalid_number__score_not_number,
        case
            when typed.score_text is not null
                and {{ matches_pattern('score_text', number_shape()) }}
                and (typed.score is null)
                then 'score is too large for the warehouse'
        end as out_of_range__score_too_large_warehouse,
        case
            when typed.score <> {{ try_cast('score_text', 'decimal(38, 18)') }}
                then 'score has more than 2 decimal places; the warehouse stores 2 and does not round'
        end as excess_precision__score_more_than_2_decimal,
        case when typed.score_text is null then 'score is empty' end as missing_value__score_empty,
        case when typed.score < 0 or typed.score > 100 then 'score must be between 0 and 100' end as invalid_value__score_between_0_100
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
        key_checked.assessment_id,
        key_checked.rep_id,
        key_checked.programme_id,
        key_checked.assessment_type,
        key_checked.assessed_at,
        key_checked.score,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
