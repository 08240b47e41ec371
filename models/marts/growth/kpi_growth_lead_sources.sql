-- One row per period (month, fiscal quarter, fiscal year) per lead source, for every month of the
-- reporting window: the growth KPI family (KPI_CATALOGUE.md section C) by lead source,
-- company-wide. The lead-source rows (scope `lead_source`) of fct_kpi_growth_monthly rolled up
-- and divided as in kpi_growth (macros roll_up_to_periods, join_period_end_balances — the open
-- pipeline is a balance, never summed — join_prior_periods and growth_kpi_columns); growth
-- compares a source with itself in the previous period. 'no_lead' holds deals that did not come
-- from a lead. Pipeline coverage is not published here: quotas are not set by lead source.
{%- set measures = ['revenue', 'deals_won', 'cross_sell_revenue', 'upsell_revenue', 'deals_won_missing_fx_rate',
                    'cohort_opportunities', 'cohort_opportunities_won', 'cohort_opportunities_lost',
                    'cohort_opportunities_open', 'cohort_leads', 'cohort_leads_to_customer', 'cohort_days_to_customer'] %}

with

growth_months as {{ cte_materialization(false) }} (
    select * from {{ ref('fct_kpi_growth_monthly') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

scope_month_measures as (
    select
        *,
        period_start as month_start
    from growth_months
    where scope = 'lead_source'
),

period_measures as (
    {{ roll_up_to_periods(measures) }}
),

with_pipeline_balance as (
    {{ join_period_end_balances('period_measures', 'growth_months', ['scope', 'scope_id'],
                                ['open_deals', 'open_pipeline', 'open_deals_missing_fx_rate']) }}
),

with_prior_periods as (
    {{ join_prior_periods('with_pipeline_balance', ['scope_id'], ['revenue']) }}
),

final as (
    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(period_label as {{ dbt.type_string() }}) as period_label,
        period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as is_complete_period,
        cast(scope_id as {{ dbt.type_string() }}) as lead_source,
        {{ growth_kpi_columns() }}
    from with_prior_periods
)

select * from final
