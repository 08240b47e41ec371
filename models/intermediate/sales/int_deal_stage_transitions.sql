-- One row per deal stage change recorded on or before var('as_of_date') (the stage history),
-- with the stage before and after it and how long the deal stayed: the deal's stage lifecycle,
-- shared by the funnel and the point-in-time pipeline. Stage order and open/won/lost come from
-- the mapping seed map_deal_stages (via staging). Each change is classified (move_type):
-- created (first row), forward (to the next stage), skipped_forward (over one or more stages;
-- stages_skipped says how many), backward (to an earlier open stage), unchanged (same order),
-- won, lost, reopened (back to an open stage after a close). A change is "in effect" from its
-- local entered_date to the day before the next change (valid_from_date / valid_to_date; no
-- valid_to_date while current: a reader ends it on the as-of date); several changes on one
-- local day leave only the last in effect (is_in_effect false for the others).
--
-- Incremental (replace_slice, macros/incremental/): a run re-sequences only the deals of
-- stage_transitions_slice() — those with a change in the late-arriving window the base model
-- re-read, a stored change past var('as_of_date'), or that appeared in or disappeared from
-- int_deals_enriched — whole, as a deal's changes are sequenced together. No stored value
-- depends on the as-of date beyond which changes it reaches, so a daily run with a later
-- as-of date stays incremental. On Spark the table is partitioned by entered_month and a run
-- overwrites the months the slice touches (select_with_partition_rows).
-- The incremental slice also reads the base model: depends_on: {{ ref('base_crm__deal_stage_history') }}
{{ config(**replace_slice_config('stage_transitions_slice', 'entered_month', 'deal_id')) }}

with

stage_history as (
    select * from {{ ref('stg_crm__deal_stage_history') }}
    {%- if is_incremental() %}
    where {{ stage_transitions_slice() }}
    {%- endif %}
),

deals as (
    select * from {{ ref('int_deals_enriched') }}
),

as_of as (
    select {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as as_of_date
),

history_local as (
    select
        stage_history.stage_history_id,
        stage_history.deal_id,
        stage_history.stage,
        stage_history.stage_order,
        stage_history.stage_category,
        stage_history.entered_at,
        {{ to_local_date('stage_history.entered_at') }} as entered_date,
        as_of.as_of_date
    from stage_history
    inner join deals
        on stage_history.deal_id = deals.deal_id
    cross join as_of
),

history_as_of as (
    select * from history_local
    where entered_date <= as_of_date
),

sequenced as (
    select
        history_as_of.*,
        row_number() over (
            partition by history_as_of.deal_id
            order by history_as_of.entered_at, history_as_of.stage_history_id
        ) as change_number,
        lag(history_as_of.stage) over (
            partition by history_as_of.deal_id
            order by history_as_of.entered_at, history_as_of.stage_history_id
        ) as previous_stage,
        lag(history_as_of.stage_order) over (
            partition by history_as_of.deal_id
            order by history_as_of.entered_at, history_as_of.stage_history_id
        ) as previous_stage_order,
        lag(history_as_of.stage_category) over (
            partition by history_as_of.deal_id
            order by history_as_of.entered_at, history_as_of.stage_history_id
        ) as previous_stage_category,
        lead(history_as_of.stage) over (
            partition by history_as_of.deal_id
            order by history_as_of.entered_at, history_as_of.stage_history_id
        ) as next_stage,
        lead(history_as_of.stage_category) over (
            partition by history_as_of.deal_id
            order by history_as_of.entered_at, history_as_of.stage_history_id
        ) as next_stage_category,
        lead(history_as_of.entered_at) over (
            partition by history_as_of.deal_id
            order by history_as_of.entered_at, history_as_of.stage_history_id
        ) as exited_at,
        lead(history_as_of.entered_date) over (
            partition by history_as_of.deal_id
            order by history_as_of.entered_at, history_as_of.stage_history_id
        ) as exited_date
    from history_as_of
),

classified as (
    select
        sequenced.*,
        case
            when sequenced.previous_stage is null then 'created'
            when sequenced.stage_category = 'won' then 'won'
            when sequenced.stage_category = 'lost' then 'lost'
            when sequenced.previous_stage_category in ('won', 'lost') then 'reopened'
            when sequenced.stage_order > sequenced.previous_stage_order + 1 then 'skipped_forward'
            when sequenced.stage_order > sequenced.previous_stage_order then 'forward'
            when sequenced.stage_order < sequenced.previous_stage_order then 'backward'
            else 'unchanged'
        end as move_type
    from sequenced
),

final as (
    select
        stage_history_id,
        deal_id,
        change_number,
        stage,
        stage_order,
        stage_category,
        stage_category = 'open' as is_open_stage,
        previous_stage,
        previous_stage_order,
        previous_stage_category,
        next_stage,
        next_stage_category,
        move_type,
        case
            when move_type = 'skipped_forward' then stage_order - previous_stage_order - 1
            else 0
        end as stages_skipped,
        entered_at,
        exited_at,
        entered_date,
        exited_date,
        cast({{ dbt.date_trunc('month', 'entered_date') }} as date) as entered_month,
        cast({{ dbt.date_trunc('month', 'exited_date') }} as date) as exited_month,
        exited_date is null or exited_date > entered_date as is_in_effect,
        entered_date as valid_from_date,
        cast({{ dbt.dateadd('day', -1, 'exited_date') }} as date) as valid_to_date,
        exited_at is null as is_current,
        cast(
            {{ dbt.datediff('entered_at', 'exited_at', 'second') }} / 86400.0 as decimal(18, 4)  -- noqa: LT05
        ) as days_in_stage
    from classified
)

{{ select_with_partition_rows('final', 'entered_month') }}
