-- One row per product-knowledge assessment taken up to var('as_of_date'), with the rep's
-- first post-training score for the same programme next to it: the pair that product
-- knowledge retention (later score / first post-training score × 100) is computed from.

with

assessments as {{ cte_materialization(false) }} (
    select * from {{ ref('stg_crm__training_assessments') }}
),

assignments as (
    select * from {{ ref('int_rep_team_assignments') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

assessments_local as (
    select
        assessments.*,
        {{ to_local_date('assessments.assessed_at') }} as assessed_date
    from assessments
    where {{ to_local_date('assessments.assessed_at') }} <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
),

first_post_training as (
    select
        rep_id,
        programme_id,
        score as first_post_training_score,
        row_number() over (partition by rep_id, programme_id order by assessed_at, assessment_id) as attempt_number
    from assessments_local
    where assessment_type = 'post_training'
),

final as (
    select
        assessments_local.assessment_id,
        case when reps.rep_id is null then {{ unknown_member() }} else assessments_local.rep_id end as rep_id,
        coalesce(reps.rep_name, {{ unknown_member() }}) as rep_name,
        coalesce(assignments.team_id, {{ unknown_member() }}) as team_id,
        coalesce(assignments.team_name, {{ unknown_member() }}) as team_name,
        assessments_local.programme_id,
        assessments_local.assessment_type,
        assessments_local.assessed_date,
        cast({{ dbt.date_trunc('month', 'assessments_local.assessed_date') }} as date) as assessed_month,
        assessments_local.score,
        first_post_training.first_post_training_score
    from assessments_local
    left join first_post_training
        on assessments_local.rep_id = first_post_training.rep_id
        and assessments_local.programme_id = first_post_training.programme_id
        and first_post_training.attempt_number = 1
    left join assignments
        on assessments_local.rep_id = assignments.rep_id
        and assessments_local.assessed_date between assignments.valid_from and assignments.valid_to
    left join reps
        on assessments_local.rep_id = reps.rep_id
)

select * from final
