-- One row per period (month, fiscal quarter, fiscal year) per scope (team, company) per open
-- funnel stage: the funnel companion of the growth family (セールスファネルリーケージ) — deals that
-- entered the stage in the period (a cohort) and, as of as_of_date, advanced beyond it, were lost
-- there or are still there; stage conversion and leakage %; average days in the stage over the
-- deals that left it in the period (the bottleneck); and the point-in-time open pipeline in the
-- stage at period end. The additive parts per scope, stage and month come from
-- fct_kpi_growth_funnel_stages_monthly and are rolled up to each period grain (macro
-- roll_up_to_periods), then divided. The open pipeline is a balance, not additive over months:
-- the fact's balance of the month holding the period's last day (macro join_period_end_balances).
{%- set measures = ['stage_deals_entered', 'stage_deals_advanced', 'stage_deals_lost', 'stage_deals_still_open',
                    'stage_deals_skipped', 'stage_deals_exited', 'stage_days_total'] %}

with

stage_months as {{ cte_materialization(false) }} (
    select * from {{ ref('fct_kpi_growth_funnel_stages_monthly') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

scope_month_measures as (
    select
        *,
        period_start as month_start
    from stage_months
),

period_measures as (
    {{ roll_up_to_periods(measures, extra_keys=['stage', 'stage_order']) }}
),

with_pipeline_balance as (
    {{ join_period_end_balances('period_measures', 'stage_months', ['scope', 'scope_id', 'stage'],
                                ['open_deals', 'open_pipeline']) }}
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
