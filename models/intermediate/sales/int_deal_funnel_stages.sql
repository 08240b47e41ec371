-- One row per deal per open funnel stage it reached by var('as_of_date'): when it first entered
-- the stage, whether it advanced beyond it, was lost there or is still there, and how long it
-- stayed. Built from int_deal_stage_transitions; the funnel stages and their order are the open
-- stages of the mapping seed map_deal_stages.
-- Documented rules:
--   * Skipped stages: a deal that jumps over a stage (qualification → proposal) or is won from
--     an earlier stage passed through the skipped stages; they are reached (is_skipped true),
--     entered and advanced at the moment of the jump, with 0 days in them and no exit counted in
--     the days-in-stage average. So every deal that advanced from stage k entered stage k + 1.
--   * Stages before a deal's first recorded stage are not reached (a deal created directly in
--     qualification never was in prospecting).
--   * Backward moves do not undo progress: a deal is credited with the furthest open stage it
--     reached. A stage below that is "advanced"; the furthest stage is "lost" if the deal is lost
--     as of the as-of date, "open" if it is still open (even when it moved back to an earlier
--     stage, which is where it now sits in the pipeline). A won deal advanced from every stage it
--     reached. So entered = advanced + lost + open for every stage.
--   * Days in stage sum every finished visit to the stage (a deal that moves back and returns
--     accumulates both stays); the stage's exit date is when the deal last left it.
--   * The deal counts for its owner's team on the date it first entered the stage.
--
-- Incremental (replace_slice with deal_funnel_slice, macros/incremental/): each row carries the
-- fingerprint of its deal's inputs (its stage changes, owner, lead source and the owner's
-- history); a run rebuilds only the deals whose fingerprint changed (changed, new or gone). On
-- Spark the table is partitioned by entered_month and a run overwrites the months it touches.
{{ config(**replace_slice_config('deal_funnel_slice', 'entered_month', 'deal_id')) }}
{%- set owner_history_hash = 'coalesce(owner_histories.rep_history_hash, unknown_history.rep_history_hash)' %}

with

transitions as {{ cte_materialization(is_incremental()) }} (
    select * from {{ ref('int_deal_stage_transitions') }}
    {%- if is_incremental() %}
    where {{ deal_funnel_slice() }}
    {%- endif %}
),

deals as (
    select * from {{ ref('int_deals_enriched') }}
),

assignments as (
    select * from {{ ref('int_rep_team_assignments') }}
),

rep_histories as (
    {{ rep_history_hashes() | indent(4) }}
),

stage_mapping as (
    select * from {{ mapping('map_deal_stages') }}
),

funnel_stages as (
    select distinct
        canonical_stage as stage,
        stage_order
    from stage_mapping
    where stage_category = 'open'
),

deal_progress as (
    select
        transitions.deal_id,
        min(case when transitions.stage_category = 'open' then transitions.stage_order end) as first_open_order,
        max(case when transitions.stage_category = 'open' then transitions.stage_order end) as furthest_open_order,
        max(case when transitions.is_current then transitions.stage_category end) as status_as_of,
        sum({{ funnel_transition_hash() }}) as transitions_fingerprint
    from transitions
    group by transitions.deal_id
),

stages_reached as (
    select
        deal_progress.deal_id,
        deal_progress.status_as_of,
        deal_progress.transitions_fingerprint,
        funnel_stages.stage,
        funnel_stages.stage_order,
        case
            when deal_progress.status_as_of = 'won' then 'advanced'
            when funnel_stages.stage_order < deal_progress.furthest_open_order then 'advanced'
            when deal_progress.status_as_of = 'lost' then 'lost'
            else 'open'
        end as outcome
    from deal_progress
    inner join funnel_stages
        on deal_progress.first_open_order <= funnel_stages.stage_order
        and (
            deal_progress.status_as_of = 'won'
            or deal_progress.furthest_open_order >= funnel_stages.stage_order
        )
),

stage_visits as (
    select
        deal_id,
        stage_order,
        min(entered_at) as first_entered_at,
        min(entered_date) as first_entered_date,
        max(exited_at) as last_exited_at,
        max(exited_date) as last_exited_date,
        sum(days_in_stage) as days_in_stage,
        count(*) as visits
    from transitions
    where is_open_stage
    group by deal_id, stage_order
),

-- for a skipped stage: the first change to a later open stage or to won
jumps_beyond as (
    select
        stages_reached.deal_id,
        stages_reached.stage_order,
        min(transitions.entered_at) as jumped_at,
        min(transitions.entered_date) as jumped_date
    from stages_reached
    inner join transitions
        on stages_reached.deal_id = transitions.deal_id
        and (
            (transitions.is_open_stage and stages_reached.stage_order < transitions.stage_order)
            or transitions.stage_category = 'won'
        )
    group by stages_reached.deal_id, stages_reached.stage_order
),

stages_dated as (
    select
        stages_reached.deal_id,
        stages_reached.stage,
        stages_reached.stage_order,
        stages_reached.outcome,
        stages_reached.transitions_fingerprint,
        stage_visits.deal_id is null as is_skipped,
        coalesce(stage_visits.visits, 0) as visits,
        coalesce(stage_visits.first_entered_at, jumps_beyond.jumped_at) as entered_at,
        coalesce(stage_visits.first_entered_date, jumps_beyond.jumped_date) as entered_date,
        case
            when stages_reached.outcome = 'open' then null
            when stage_visits.deal_id is null then jumps_beyond.jumped_date
            else stage_visits.last_exited_date
        end as exited_date,
        case
            when stages_reached.outcome <> 'open' and stage_visits.deal_id is not null then stage_visits.days_in_stage
        end as days_in_stage
    from stages_reached
    left join stage_visits
        on stages_reached.deal_id = stage_visits.deal_id
        and stages_reached.stage_order = stage_visits.stage_order
    left join jumps_beyond
        on stages_reached.deal_id = jumps_beyond.deal_id
        and stages_reached.stage_order = jumps_beyond.stage_order
),

final as (
    select
        stages_dated.deal_id,
        stages_dated.stage,
        stages_dated.stage_order,
        deals.owner_rep_id,
        deals.owner_rep_name,
        coalesce(assignments.team_id, {{ unknown_member() }}) as team_id,
        coalesce(assignments.team_name, {{ unknown_member() }}) as team_name,
        deals.lead_source,
        stages_dated.outcome,
        stages_dated.outcome = 'advanced' as is_advanced,
        stages_dated.outcome = 'lost' as is_lost_here,
        stages_dated.outcome = 'open' as is_still_open,
        stages_dated.is_skipped,
        stages_dated.visits,
        stages_dated.entered_at,
        stages_dated.entered_date,
        cast({{ dbt.date_trunc('month', 'stages_dated.entered_date') }} as date) as entered_month,
        stages_dated.exited_date,
        cast({{ dbt.date_trunc('month', 'stages_dated.exited_date') }} as date) as exited_month,
        stages_dated.days_in_stage,
        -- the fingerprint of the deal's inputs (deal_funnel_fingerprints(), which an incremental
        -- run compares with it, computes the same)
        {{ funnel_deal_hash(owner_history_hash) }} + stages_dated.transitions_fingerprint as input_fingerprint
    from stages_dated
    inner join deals
        on stages_dated.deal_id = deals.deal_id
    left join assignments
        on deals.owner_rep_id = assignments.rep_id
        and stages_dated.entered_date between assignments.valid_from and assignments.valid_to
    left join rep_histories as owner_histories
        on deals.owner_rep_id = owner_histories.rep_id
    left join rep_histories as unknown_history
        on unknown_history.rep_id = {{ unknown_member() }}
)

{{ select_with_partition_rows('final', 'entered_month') }}
