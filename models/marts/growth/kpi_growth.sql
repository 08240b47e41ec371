-- One row per period (month, fiscal quarter, fiscal year) per scope (team, company) that was
-- active in it: the growth KPI family (KPI_CATALOGUE.md section C). Additive monthly parts come
-- from int_growth_measures_monthly (shared with kpi_growth_lead_sources), are summed per scope and
-- month, rolled up to each period grain, then divided. Revenue growth compares each period with
-- the previous period of the same grain (macro join_prior_periods). The open pipeline is a
-- point-in-time balance at the period's last day (at as_of_date for the period in progress), read
-- from int_pipeline_daily — never summed across months; coverage divides it by the revenue quota
-- still to win in the period.
{%- set measures = ['revenue', 'deals_won', 'cross_sell_revenue', 'upsell_revenue', 'deals_won_missing_fx_rate',
                    'cohort_opportunities', 'cohort_opportunities_won', 'cohort_opportunities_lost',
                    'cohort_opportunities_open', 'cohort_leads', 'cohort_leads_to_customer', 'cohort_days_to_customer'] %}

with

growth_measures as {{ cte_materialization(false) }} (
    select * from {{ ref('int_growth_measures_monthly') }}
),

rep_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_rep_months') }}
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

measures_by_scope as (
    {{ expand_to_scopes('growth_measures', measures, scopes=['team', 'company']) }}
),

quota_facts as (
    select
        rep_id,
        rep_name,
        team_id,
        team_name,
        month_start,
        revenue_quota as revenue_target
    from rep_months
    where has_quota
),

quotas_by_scope as (
    {{ expand_to_scopes('quota_facts', ['revenue_target'], scopes=['team', 'company']) }}
),

-- Team-months holding open pipeline at the month's last day (at as_of_date for the month in
-- progress): a team with pipeline but no event in the month (the {{ unknown_member() }} team of a deal
-- open before its rep's first team assignment) still gets its row, so team rows add up to the company.
pipeline_team_months as (
    select distinct
        'team' as scope,
        team_id as scope_id,
        team_name as scope_name,
        cast({{ dbt.date_trunc('month', 'pipeline_date') }} as date) as month_start
    from pipeline_daily
    where
        pipeline_date = cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, dbt.date_trunc('month', 'pipeline_date'))) }} as date)
        or pipeline_date = {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
),

-- Spine: every active team / company month, plus any scope-month that has an event, a quota or
-- open pipeline
active_scope_months as (
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from scope_months
    where scope in ('team', 'company')
    union
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from measures_by_scope
    union
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from quotas_by_scope
    union
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from pipeline_team_months
),

scope_month_measures as (
    select
        active_scope_months.scope,
        active_scope_months.scope_id,
        active_scope_months.scope_name,
        active_scope_months.month_start,
        {%- for column in measures %}
        coalesce(measures_by_scope.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        quotas_by_scope.revenue_target
    from active_scope_months
    left join measures_by_scope
        on active_scope_months.scope = measures_by_scope.scope
        and active_scope_months.scope_id = measures_by_scope.scope_id
        and active_scope_months.month_start = measures_by_scope.month_start
    left join quotas_by_scope
        on active_scope_months.scope = quotas_by_scope.scope
        and active_scope_months.scope_id = quotas_by_scope.scope_id
        and active_scope_months.month_start = quotas_by_scope.month_start
),

period_measures as (
    {{ roll_up_to_periods(measures + ['revenue_target']) }}
),

-- Point-in-time open pipeline per scope and day
pipeline_by_scope as (
    select
        'team' as scope,
        team_id as scope_id,
        pipeline_date,
        sum(open_deals) as open_deals,
        sum(open_pipeline_amount) as open_pipeline,
        sum(open_deals_missing_fx_rate) as open_deals_missing_fx_rate
    from pipeline_daily
    group by team_id, pipeline_date
    union all
    select
        'company' as scope,
        'company' as scope_id,
        pipeline_date,
        sum(open_deals) as open_deals,
        sum(open_pipeline_amount) as open_pipeline,
        sum(open_deals_missing_fx_rate) as open_deals_missing_fx_rate
    from pipeline_daily
    group by pipeline_date
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
        coalesce(pipeline_by_scope.open_pipeline, 0) as open_pipeline,
        coalesce(pipeline_by_scope.open_deals_missing_fx_rate, 0) as open_deals_missing_fx_rate
    from with_pipeline
    left join pipeline_by_scope
        on with_pipeline.scope = pipeline_by_scope.scope
        and with_pipeline.scope_id = pipeline_by_scope.scope_id
        and with_pipeline.pipeline_date = pipeline_by_scope.pipeline_date
),

with_prior_periods as (
    {{ join_prior_periods('with_pipeline_balance', ['scope', 'scope_id'], ['revenue']) }}
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
        {{ growth_kpi_columns() }},
        -- pipeline coverage: open pipeline / revenue quota still to win in the period
        cast(revenue_target as decimal(18, 2)) as revenue_target,
        cast(revenue_target - revenue as decimal(18, 2)) as remaining_quota,
        cast(
            case when revenue_target - revenue > 0 then {{ safe_divide('open_pipeline', 'revenue_target - revenue') }} end
            as decimal(18, 4)
        ) as pipeline_coverage
    from with_prior_periods
)

select * from final
