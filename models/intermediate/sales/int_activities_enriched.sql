-- One row per logged activity up to var('as_of_date'): its date and month in the reporting
-- time zone, its class (call, e-mail, meeting, … and selling or not) and the rep's team on
-- that date — the base of rep activity, selling-time share and contact-rate KPIs.
--
-- Incremental (replace_slice, macros/incremental/): a run re-enriches only the activities of
-- activities_enriched_slice() — the late-arriving window the base model re-read, rows now past
-- var('as_of_date'), and every activity of a rep whose name or team history changed — and
-- deletes the slice's rows that no longer qualify. On Spark the table is partitioned by
-- activity_month and a run overwrites the months the slice touches (select_with_partition_rows).
-- The incremental slice also reads the base model: depends_on: {{ ref('base_crm__activities') }}
{{ config(**replace_slice_config('activities_enriched_slice', 'activity_month', 'activity_id')) }}

with

activities as (
    select * from {{ ref('stg_crm__activities') }}
    {%- if is_incremental() %}
    where {{ activities_enriched_slice() }}
    {%- endif %}
),

assignments as (
    select * from {{ ref('int_rep_team_assignments') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

rep_histories as (
    {{ rep_history_hashes() | indent(4) }}
),

activities_local as (
    select
        activities.*,
        {{ to_local_date('activities.started_at') }} as activity_date
    from activities
),

final as (
    select
        activities_local.activity_id,
        case when reps.rep_id is null then {{ unknown_member() }} else activities_local.rep_id end as rep_id,
        coalesce(reps.rep_name, {{ unknown_member() }}) as rep_name,
        coalesce(assignments.team_id, {{ unknown_member() }}) as team_id,
        coalesce(assignments.team_name, {{ unknown_member() }}) as team_name,
        activities_local.account_id,
        activities_local.deal_id,
        activities_local.lead_id,
        activities_local.activity_class,
        activities_local.is_selling,
        activities_local.outcome,
        activities_local.is_value_added,
        activities_local.started_at,
        activities_local.activity_date,
        cast({{ dbt.date_trunc('month', 'activities_local.activity_date') }} as date) as activity_month,
        coalesce(activities_local.duration_minutes, 0) as duration_minutes,
        rep_histories.rep_history_hash
    from activities_local
    left join assignments
        on activities_local.rep_id = assignments.rep_id
        and activities_local.activity_date between assignments.valid_from and assignments.valid_to
    left join reps
        on activities_local.rep_id = reps.rep_id
    left join rep_histories
        on rep_histories.rep_id = case when reps.rep_id is null then {{ unknown_member() }} else activities_local.rep_id end
    where activities_local.activity_date <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
)

{{ select_with_partition_rows('final', 'activity_month') }}
