-- One row per period (month, fiscal quarter, fiscal year) per scope (team, company) per open
-- funnel stage: the funnel companion of the growth family (セールスファネルリーケージ) — deals that
-- entered the stage in the period (a cohort) and, as of as_of_date, advanced beyond it, were lost
-- there or are still there; stage conversion and leakage %; average days in the stage over the
-- deals that left it in the period (the bottleneck); and the point-in-time open pipeline in the
-- stage at period end. Stage rules (skipped stages, backward moves) are those of
-- int_deal_funnel_stages; the deal counts for its owner's team on the day it entered the stage.
{%- set entry_measures = ['stage_deals_entered', 'stage_deals_advanced', 'stage_deals_lost', 'stage_deals_still_open',
                          'stage_deals_skipped'] %}
{%- set exit_measures = ['stage_deals_exited', 'stage_days_total'] %}

with

funnel_stages as {{ cte_materialization(false) }} (
    select * from {{ ref('int_deal_funnel_stages') }}
),

pipeline_daily as {{ cte_materialization(false) }} (
    select * from {{ ref('int_pipeline_daily') }}
),

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
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

stages as (
    select distinct
        stage,
        stage_order
    from funnel_stages
),

-- Team-months holding open pipeline at the month's last day (at as_of_date for the month in
-- progress): a team with pipeline but no event in the month (the {{ unknown_member() }} team of a deal
-- open before its rep's first team assignment) still gets its row, so team rows add up to the company.
pipeline_team_months as (
    select distinct
        'team' as scope,
        team_id as scope_id,
        team_name as scope_name,
        stage,
        stage_order,
        cast({{ dbt.date_trunc('month', 'pipeline_date') }} as date) as month_start
    from pipeline_daily
    where
        pipeline_date = cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, dbt.date_trunc('month', 'pipeline_date'))) }} as date)
        or pipeline_date = {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
),

-- Spine: every stage for every active team / company month, plus any row with an event or open
-- pipeline
active_stage_months as (
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
    from pipeline_team_months
),

stage_month_measures as (
    select
        active_stage_months.scope,
        active_stage_months.scope_id,
        active_stage_months.scope_name,
        active_stage_months.stage,
        active_stage_months.stage_order,
        active_stage_months.month_start,
        {%- for column in entry_measures %}
        coalesce(entries_by_scope.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        {%- for column in exit_measures %}
        coalesce(exits_by_scope.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        1 as months_in_scope
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
),

period_measures as (
    select
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        stage_month_measures.scope,
        stage_month_measures.scope_id,
        max(stage_month_measures.scope_name) as scope_name,
        stage_month_measures.stage,
        stage_month_measures.stage_order,
        {%- for column in entry_measures + exit_measures %}
        sum(stage_month_measures.{{ column }}) as {{ column }},
        {%- endfor %}
        sum(stage_month_measures.months_in_scope) as months_in_scope
    from stage_month_measures
    inner join period_months
        on stage_month_measures.month_start = period_months.month_start
    group by
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        stage_month_measures.scope,
        stage_month_measures.scope_id,
        stage_month_measures.stage,
        stage_month_measures.stage_order
),

-- Point-in-time open pipeline per scope, stage and day
pipeline_by_scope as (
    select
        'team' as scope,
        team_id as scope_id,
        stage,
        pipeline_date,
        sum(open_deals) as open_deals,
        sum(open_pipeline_amount) as open_pipeline
    from pipeline_daily
    group by team_id, stage, pipeline_date
    union all
    select
        'company' as scope,
        'company' as scope_id,
        stage,
        pipeline_date,
        sum(open_deals) as open_deals,
        sum(open_pipeline_amount) as open_pipeline
    from pipeline_daily
    group by stage, pipeline_date
),

with_pipeline as (
    select
        period_measures.*,
        case
            when period_measures.period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
                then period_measures.period_end
            else {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
        end as pipeline_date
    from period_measures
),

with_pipeline_balance as (
    select
        with_pipeline.*,
        coalesce(pipeline_by_scope.open_deals, 0) as open_deals,
        coalesce(pipeline_by_scope.open_pipeline, 0) as open_pipeline
    from with_pipeline
    left join pipeline_by_scope
        on with_pipeline.scope = pipeline_by_scope.scope
        and with_pipeline.scope_id = pipeline_by_scope.scope_id
        and with_pipeline.stage = pipeline_by_scope.stage
        and with_pipeline.pipeline_date = pipeline_by_scope.pipeline_date
),

final as (
    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(period_label as {{ dbt.type_string() }}) as period_label,
        period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as is_complete_period,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(scope_name as {{ dbt.type_string() }}) as scope_name,
        cast(stage as {{ dbt.type_string() }}) as stage,
        cast(stage_order as integer) as stage_order,
        -- entry cohort and its outcome as of as_of_date
        cast(stage_deals_entered as bigint) as stage_deals_entered,
        cast(stage_deals_skipped as bigint) as stage_deals_skipped,
        cast(stage_deals_advanced as bigint) as stage_deals_advanced,
        {{ pct('stage_deals_advanced', 'stage_deals_entered') }} as stage_conversion_pct,
        cast(stage_deals_lost as bigint) as stage_deals_lost,
        {{ pct('stage_deals_lost', 'stage_deals_entered') }} as stage_leakage_pct,
        cast(stage_deals_still_open as bigint) as stage_deals_still_open,
        -- time in stage, over the deals that left it in the period
        cast(stage_deals_exited as bigint) as stage_deals_exited,
        cast(stage_days_total as decimal(18, 4)) as stage_days_total,
        cast({{ safe_divide('stage_days_total', 'stage_deals_exited') }} as decimal(18, 2)) as avg_days_in_stage,
        -- open pipeline in the stage at period end
        cast(pipeline_date as date) as pipeline_date,
        cast(open_deals as bigint) as open_deals,
        cast(open_pipeline as decimal(18, 2)) as open_pipeline
    from with_pipeline_balance
)

select * from final
