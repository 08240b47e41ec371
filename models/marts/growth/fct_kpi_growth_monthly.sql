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

quota_months as {{ cte_materialization(false) }} (
    select * from rep_months
    where has_quota
),

measures_by_scope as (
    {{ expand_to_scopes('growth_measures', measures, scopes=['team', 'company']) }}
    union all
    {{ expand_to_lead_sources('growth_measures', measures) }}
),

quotas_by_scope as (
    {{ expand_to_scopes('quota_months', ['revenue_quota'], scopes=['team', 'company']) }}
),

-- a team with pipeline but no event in the month (the {{ unknown_member() }} team of a deal open
-- before its rep's first team assignment) still gets its row, so team rows add up to the company
balances_by_scope as (
    {{ expand_to_scopes('pipeline_month_ends', balances, scopes=['team', 'company']) }}
    union all
    {{ expand_to_lead_sources('pipeline_month_ends', balances) }}
),

team_company_months as (
    select * from scope_months
    where scope in ('team', 'company')
),

-- Spine: every active team / company month, every lead source in every reporting month (zero
-- counts, not missing rows), plus any scope-month that has an event, a quota or open pipeline
active_scope_months as (
    {{ scope_month_spine('team_company_months', ['measures_by_scope', 'quotas_by_scope', 'balances_by_scope'],
                         lead_sources_every_month=true) | indent(4) }}
),

scope_month_measures as (
    {{ join_measures_to_spine('active_scope_months', {
        'measures_by_scope': measures,
        'quotas_by_scope': ['revenue_quota'],
        'balances_by_scope': balances,
    }, nullable=['revenue_quota']) | indent(4) }}
),

final as (
    select
        {{ scope_month_columns() | indent(8) }},
        cast(revenue as decimal(18, 2)) as revenue,
        cast(deals_won as bigint) as deals_won,
        cast(cross_sell_revenue as decimal(18, 2)) as cross_sell_revenue,
        cast(upsell_revenue as decimal(18, 2)) as upsell_revenue,
        {%- for column in measures[5:] %}
        cast({{ column }} as bigint) as {{ column }},
        {%- endfor %}
        cast(open_pipeline_amount as decimal(18, 2)) as open_pipeline,
        cast(revenue_quota as decimal(18, 2)) as revenue_target,
        cast(deals_won_missing_fx_rate as bigint) as deals_won_missing_fx_rate,
        cast(open_deals as bigint) as open_deals,
        cast(open_deals_missing_fx_rate as bigint) as open_deals_missing_fx_rate
    from scope_month_measures
)

select * from final
