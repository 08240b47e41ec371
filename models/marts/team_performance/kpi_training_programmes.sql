-- One row per period (month, fiscal quarter, fiscal year) per training programme with any
-- enrolment or assessment in it, company-wide: the per-programme view of training completion
-- (セールストレーニング完了率) and product knowledge retention (製品知識の保持). Enrolments
-- are a cohort: those made in the period, completed by var('as_of_date').

with

enrolments as {{ cte_materialization(false) }} (
    select * from {{ ref('int_training_enrolments_enriched') }}
),

assessments as (
    select * from {{ ref('int_assessments_paired') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

programme_names as (
    select
        programme_id,
        max(programme_name) as programme_name
    from enrolments
    group by programme_id
),

enrolment_facts as (
    select
        programme_id,
        enrolled_month as month_start,
        1 as training_enrolments,
        case when is_completed then 1 else 0 end as training_completions,
        0 as post_training_score_total,
        0 as post_training_assessments,
        0 as reassessment_score_total,
        0 as reassessed_first_score_total
    from enrolments
),

assessment_facts as (
    select
        programme_id,
        assessed_month as month_start,
        0 as training_enrolments,
        0 as training_completions,
        case when assessment_type = 'post_training' then score else 0 end as post_training_score_total,
        case when assessment_type = 'post_training' then 1 else 0 end as post_training_assessments,
        case when assessment_type = 'reassessment' and first_post_training_score is not null then score else 0 end
            as reassessment_score_total,
        case when assessment_type = 'reassessment' then coalesce(first_post_training_score, 0) else 0 end
            as reassessed_first_score_total
    from assessments
),

programme_facts as (
    select * from enrolment_facts
    union all
    select * from assessment_facts
),

period_measures as (
    select
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        programme_facts.programme_id,
        sum(programme_facts.training_enrolments) as training_enrolments,
        sum(programme_facts.training_completions) as training_completions,
        sum(programme_facts.post_training_score_total) as post_training_score_total,
        sum(programme_facts.post_training_assessments) as post_training_assessments,
        sum(programme_facts.reassessment_score_total) as reassessment_score_total,
        sum(programme_facts.reassessed_first_score_total) as reassessed_first_score_total
    from programme_facts
    inner join period_months
        on programme_facts.month_start = period_months.month_start
    group by
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        programme_facts.programme_id
),

final as (
    select
        cast(period_measures.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_measures.period_start as date) as period_start,
        cast(period_measures.period_end as date) as period_end,
        cast(period_measures.period_label as {{ dbt.type_string() }}) as period_label,
        period_measures.period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as is_complete_period,
        cast(period_measures.programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(programme_names.programme_name as {{ dbt.type_string() }}) as programme_name,
        cast(period_measures.training_enrolments as bigint) as training_enrolments,
        cast(period_measures.training_completions as bigint) as training_completions,
        {{ pct('period_measures.training_completions', 'period_measures.training_enrolments') }} as training_completion_pct,
        cast(period_measures.post_training_score_total as decimal(18, 2)) as post_training_score_total,
        cast(period_measures.post_training_assessments as bigint) as post_training_assessments,
        cast(
            {{ safe_divide('period_measures.post_training_score_total', 'period_measures.post_training_assessments') }}
            as decimal(18, 2)
        ) as average_assessment_score,
        cast(period_measures.reassessment_score_total as decimal(18, 2)) as reassessment_score_total,
        cast(period_measures.reassessed_first_score_total as decimal(18, 2)) as reassessed_first_score_total,
        {{ pct('period_measures.reassessment_score_total', 'period_measures.reassessed_first_score_total') }}
            as knowledge_retention_pct
    from period_measures
    left join programme_names
        on period_measures.programme_id = programme_names.programme_id
)

select * from final
