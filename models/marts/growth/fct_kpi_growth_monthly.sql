-- One row per month per scope (team, company) and per lead source (scope `lead_source`,
-- company-wide) with the additive parts of the growth KPI family, built from the int_ models:
-- the finest grain of the family. The semantic layer's `growth` semantic model reads it (so every
-- growth metric can also be grouped by lead source, kpi_scope__scope = 'lead_source'), and
-- kpi_growth / kpi_growth_lead_sources roll it up to fiscal quarters and years. Lead sources have
-- no quota: their revenue_target is NULL (so pipeline coverage is NULL for them). The open
-- pipeline columns are balances at the month's last day (at as_of_date for the month in
-- progress), from int_pipeline_month_ends — never summed across months.
{%- set measures = ['revenue', 'deals_won', 'cross_sell_revenue', 'upsell_revenue', 'deals_won_missing_fx_rate',
                    'cohort_opportunities', 'cohort_opportunities_won', 'cohort_opportunities_lost',
                    'cohort_opportunities_open', 'cohort_leads', 'cohort_leads_to_customer', 'cohort_days_to_customer'] %}
{%- set balances = ['open_deals', 'open_pipeline_amount', 'open_deals_missing_fx_rate'] %}

with

growth_measures as {{ cte_materialization(false) }} (
    select * from {{ ref('int_growth_measures_monthly') }}
),

rep_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_rep_months') }}
),

pipeline_month_ends as {{ cte_materialization(false) }} (
    select * from {{ ref('int_pipeline_month_ends') }}
),

scope_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_scope_months') }}
),

measures_by_scope as (
    {{ expand_to_scopes('growth_measures', measures, scopes=['team', 'company']) }}
    union all
    {{ expand_to_lead_sources('growth_measures', measures) }}
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

-- a team with pipeline but no event in the month (the {{ unknown_member() }} team of a deal open
-- before its rep's first team assignment) still gets its row, so team rows add up to the company
balances_by_scope as (
    {{ expand_to_scopes('pipeline_month_ends', balances, scopes=['team', 'company']) }}
    union all
    {{ expand_to_lead_sources('pipeline_month_ends', balances) }}
),

lead_sources as (
    select
        scope,
        scope_id,
        scope_name
    from measures_by_scope
    where scope = 'lead_source'
    union
    select
        scope,
        scope_id,
        scope_name
    from balances_by_scope
    where scope = 'lead_source'
),

-- Spine: every active team / company month, every lead source in every reporting month (zero
-- counts, not missing rows), plus any scope-month that has an event, a quota or open pipeline
spine as (
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from scope_months
    where scope in ('team', 'company')
    union
    select
        lead_sources.scope,
        lead_sources.scope_id,
        lead_sources.scope_name,
        scope_months.month_start
    from lead_sources
    cross join scope_months
    where scope_months.scope = 'company'
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
    from balances_by_scope
),

active_scope_months as (
    select
        scope,
        scope_id,
        max(scope_name) as scope_name,
        month_start
    from spine
    group by scope, scope_id, month_start
),

final as (
    select
        {{ dbt.concat(['active_scope_months.scope', "':'", 'active_scope_months.scope_id']) }} as scope_key,
        cast(active_scope_months.month_start as date) as period_start,
        cast(active_scope_months.scope as {{ dbt.type_string() }}) as scope,
        cast(active_scope_months.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(active_scope_months.scope_name as {{ dbt.type_string() }}) as scope_name,
        cast(coalesce(measures_by_scope.revenue, 0) as decimal(18, 2)) as revenue,
        cast(coalesce(measures_by_scope.deals_won, 0) as bigint) as deals_won,
        cast(coalesce(measures_by_scope.cross_sell_revenue, 0) as decimal(18, 2)) as cross_sell_revenue,
        cast(coalesce(measures_by_scope.upsell_revenue, 0) as decimal(18, 2)) as upsell_revenue,
        {%- for column in measures[5:] %}
        cast(coalesce(measures_by_scope.{{ column }}, 0) as bigint) as {{ column }},
        {%- endfor %}
        cast(coalesce(balances_by_scope.open_pipeline_amount, 0) as decimal(18, 2)) as open_pipeline,
        cast(quotas_by_scope.revenue_target as decimal(18, 2)) as revenue_target,
        cast(coalesce(measures_by_scope.deals_won_missing_fx_rate, 0) as bigint) as deals_won_missing_fx_rate,
        cast(coalesce(balances_by_scope.open_deals, 0) as bigint) as open_deals,
        cast(coalesce(balances_by_scope.open_deals_missing_fx_rate, 0) as bigint) as open_deals_missing_fx_rate
    from active_scope_months
    left join measures_by_scope
        on active_scope_months.scope = measures_by_scope.scope
        and active_scope_months.scope_id = measures_by_scope.scope_id
        and active_scope_months.month_start = measures_by_scope.month_start
    left join quotas_by_scope
        on active_scope_months.scope = quotas_by_scope.scope
        and active_scope_months.scope_id = quotas_by_scope.scope_id
        and active_scope_months.month_start = quotas_by_scope.month_start
    left join balances_by_scope
        on active_scope_months.scope = balances_by_scope.scope
        and active_scope_months.scope_id = balances_by_scope.scope_id
        and active_scope_months.month_start = balances_by_scope.month_start
)

select * from final
