-- One row per month per scope (team, company) per open funnel stage with the additive parts of
-- the funnel companion of the growth family, built from the int_ models: deals that entered the
-- stage in the month (a cohort) and, as of as_of_date, advanced beyond it, were lost there, are
-- still there or skipped it; deals that left it in the month and their days in it. The semantic
-- layer's `growth_funnel_stages` semantic model reads it and kpi_growth_funnel_stages rolls it up
-- to fiscal quarters and years. Stage rules (skipped stages, backward moves) are those of
-- int_deal_funnel_stages; the deal counts for its owner's team on the day it entered the stage.
-- open_deals / open_pipeline are balances at the month's last day (at as_of_date for the month
-- in progress), from int_pipeline_month_ends — never summed across months.
{%- set entry_measures = ['stage_deals_entered', 'stage_deals_advanced', 'stage_deals_lost', 'stage_deals_still_open',
                          'stage_deals_skipped'] %}
{%- set exit_measures = ['stage_deals_exited', 'stage_days_total'] %}

with

funnel_stages as {{ cte_materialization(false) }} (
    select * from {{ ref('int_deal_funnel_stages') }}
),

pipeline_month_ends as {{ cte_materialization(false) }} (
    select * from {{ ref('int_pipeline_month_ends') }}
),

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

stage_entries as (
    select
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        team_id,
        team_name,
        stage,
        stage_order,
        entered_month as month_start,
        1 as stage_deals_entered,
        case when is_advanced then 1 else 0 end as stage_deals_advanced,
        case when is_lost_here then 1 else 0 end as stage_deals_lost,
        case when is_still_open then 1 else 0 end as stage_deals_still_open,
        case when is_skipped then 1 else 0 end as stage_deals_skipped
    from funnel_stages
),

stage_exits as (
    select
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        team_id,
        team_name,
        stage,
        stage_order,
        exited_month as month_start,
        1 as stage_deals_exited,
        days_in_stage as stage_days_total
    from funnel_stages
    where days_in_stage is not null
),

entries_by_scope as (
    {{ expand_to_scopes('stage_entries', entry_measures, dimensions=['stage', 'stage_order'], scopes=['team', 'company']) }}
),

exits_by_scope as (
    {{ expand_to_scopes('stage_exits', exit_measures, dimensions=['stage', 'stage_order'], scopes=['team', 'company']) }}
),

-- a team with pipeline but no event in the month (the {{ unknown_member() }} team of a deal open
-- before its rep's first team assignment) still gets its row, so team rows add up to the company
balances_by_scope as (
    {{ expand_to_scopes('pipeline_month_ends', ['open_deals', 'open_pipeline_amount'], dimensions=['stage', 'stage_order'],
                        scopes=['team', 'company']) }}
),

stages as (
    select distinct
        stage,
        stage_order
    from funnel_stages
),

stage_scope_months as (
    select
        scope_months.scope,
        scope_months.scope_id,
        scope_months.scope_name,
        stages.stage,
        stages.stage_order,
        scope_months.month_start
    from scope_months
    cross join stages
    where scope_months.scope in ('team', 'company')
),

-- Spine: every stage for every active team / company month, plus any row with an event or open
-- pipeline
active_stage_months as (
    {{ scope_month_spine('stage_scope_months', ['entries_by_scope', 'exits_by_scope', 'balances_by_scope'],
                         dimensions=['stage', 'stage_order']) | indent(4) }}
),

stage_month_measures as (
    {{ join_measures_to_spine('active_stage_months', {
        'entries_by_scope': entry_measures,
        'exits_by_scope': exit_measures,
        'balances_by_scope': ['open_deals', 'open_pipeline_amount'],
    }, dimensions=['stage', 'stage_order']) | indent(4) }}
),

final as (
    select
        {{ scope_month_columns() | indent(8) }},
        cast(stage as {{ dbt.type_string() }}) as stage,
        cast(stage_order as integer) as stage_order,
        cast(stage_deals_entered as bigint) as stage_deals_entered,
        cast(stage_deals_advanced as bigint) as stage_deals_advanced,
        cast(stage_deals_lost as bigint) as stage_deals_lost,
        cast(stage_deals_exited as bigint) as stage_deals_exited,
        cast(stage_days_total as decimal(18, 4)) as stage_days_total,
        cast(stage_deals_still_open as bigint) as stage_deals_still_open,
        cast(stage_deals_skipped as bigint) as stage_deals_skipped,
        cast(open_deals as bigint) as open_deals,
        cast(open_pipeline_amount as decimal(18, 2)) as open_pipeline
    from stage_month_measures
)

select * from final
