-- One row per training enrolment made up to var('as_of_date'): the enrolment month in the
-- reporting time zone, the rep's team on the enrolment date, and whether the rep had completed
-- the programme by the as-of date (the cohort view of training completion).

with

enrolments as (
    select * from {{ ref('stg_crm__training_enrolments') }}
),

assignments as (
    select * from {{ ref('int_rep_team_assignments') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

enrolments_local as (
    select
        enrolments.*,
        {{ to_local_date('enrolments.enrolled_at') }} as enrolled_date,
        {{ to_local_date('enrolments.completed_at') }} as completed_date
    from enrolments
),

final as (
    select
        enrolments_local.enrolment_id,
        case when reps.rep_id is null then {{ unknown_member() }} else enrolments_local.rep_id end as rep_id,
        coalesce(reps.rep_name, {{ unknown_member() }}) as rep_name,
        coalesce(assignments.team_id, {{ unknown_member() }}) as team_id,
        coalesce(assignments.team_name, {{ unknown_member() }}) as team_name,
        enrolments_local.programme_id,
        enrolments_local.programme_name,
        enrolments_local.enrolled_date,
        cast({{ dbt.date_trunc('month', 'enrolments_local.enrolled_date') }} as date) as enrolled_month,
        enrolments_local.completed_date,
        coalesce(
            enrolments_local.completed_date <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}, false
        ) as is_completed
    from enrolments_local
    left join assignments
        on enrolments_local.rep_id = assignments.rep_id
        and enrolments_local.enrolled_date between assignments.valid_from and assignments.valid_to
    left join reps
        on enrolments_local.rep_id = reps.rep_id
    where enrolments_local.enrolled_date <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
)

select * from final
