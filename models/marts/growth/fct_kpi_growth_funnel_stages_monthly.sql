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

-- Spine: every stage for every active team / company month, plus any row with an event or open
-- pipeline
spine as (
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
    union
    select
        scope,
        scope_id,
        scope_name,
        stage,
        stage_order,
        month_start
    from entries_by_scope
    union
    select
        scope,
        scope_id,
        scope_name,
        stage,
        stage_order,
        month_start
    from exits_by_scope
    union
    select
        scope,
        scope_id,
        scope_name,
        stage,
        stage_order,
        month_start
    from balances_by_scope
),

active_stage_months as (
    select
        scope,
        scope_id,
        max(scope_name) as scope_name,
        stage,
        stage_order,
        month_start
    from spine
    group by scope, scope_id, stage, stage_order, month_start
),

final as (
    select
        {{ dbt.concat(['active_stage_months.scope', "':'", 'active_stage_months.scope_id']) }} as scope_key,
        cast(active_stage_months.month_start as date) as period_start,
        cast(active_stage_months.scope as {{ dbt.type_string() }}) as scope,
        cast(active_stage_months.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(active_stage_months.scope_name as {{ dbt.type_string() }}) as scope_name,
        cast(active_stage_months.stage as {{ dbt.type_string() }}) as stage,
        cast(active_stage_months.stage_order as integer) as stage_order,
        cast(coalesce(entries_by_scope.stage_deals_entered, 0) as bigint) as stage_deals_entered,
        cast(coalesce(entries_by_scope.stage_deals_advanced, 0) as bigint) as stage_deals_advanced,
        cast(coalesce(entries_by_scope.stage_deals_lost, 0) as bigint) as stage_deals_lost,
        cast(coalesce(exits_by_scope.stage_deals_exited, 0) as bigint) as stage_deals_exited,
        cast(coalesce(exits_by_scope.stage_days_total, 0) as decimal(18, 4)) as stage_days_total,
        cast(coalesce(entries_by_scope.stage_deals_still_open, 0) as bigint) as stage_deals_still_open,
        cast(coalesce(entries_by_scope.stage_deals_skipped, 0) as bigint) as stage_deals_skipped,
        cast(coalesce(balances_by_scope.open_deals, 0) as bigint) as open_deals,
        cast(coalesce(balances_by_scope.open_pipeline_amount, 0) as decimal(18, 2)) as open_pipeline
    from active_stage_months
    left join entries_by_scope
        on active_stage_months.scope = entries_by_scope.scope
        and active_stage_months.scope_id = entries_by_scope.scope_id
        and active_stage_months.stage = entries_by_scope.stage
        and active_stage_months.month_start = entries_by_scope.month_start
    left join exits_by_scope
        on active_stage_months.scope = exits_by_scope.scope
        and active_stage_months.scope_id = exits_by_scope.scope_id
        and active_stage_months.stage = exits_by_scope.stage
        and active_stage_months.month_start = exits_by_scope.month_start
    left join balances_by_scope
        on active_stage_months.scope = balances_by_scope.scope
        and active_stage_months.scope_id = balances_by_scope.scope_id
        and active_stage_months.stage = balances_by_scope.stage
        and active_stage_months.month_start = balances_by_scope.month_start
)

select * from final
