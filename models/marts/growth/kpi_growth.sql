-- One row per period (month, fiscal quarter, fiscal year) per scope (team, company) that was
-- active in it: the growth KPI family (KPI_CATALOGUE.md section C). The additive parts per scope
-- and month come from fct_kpi_growth_monthly, are rolled up to each period grain (macro
-- roll_up_to_periods), then divided. Revenue growth compares each period with the previous
-- period of the same grain (macro join_prior_periods). The open pipeline is a point-in-time
-- balance, not additive over months: it is the fact's balance of the month holding the period's
-- last day (as_of_date for the period in progress; macro join_period_end_balances), never a sum;
-- coverage divides it by the revenue quota still to win in the period.
{%- set measures = ['revenue', 'deals_won', 'cross_sell_revenue', 'upsell_revenue', 'deals_won_missing_fx_rate',
                    'cohort_opportunities', 'cohort_opportunities_won', 'cohort_opportunities_lost',
                    'cohort_opportunities_open', 'cohort_leads', 'cohort_leads_to_customer', 'cohort_days_to_customer',
                    'revenue_target'] %}

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
    where scope in ('team', 'company')
),

period_measures as (
    {{ roll_up_to_periods(measures) }}
),

with_pipeline_balance as (
    {{ join_period_end_balances('period_measures', 'growth_months', ['scope', 'scope_id'],
                                ['open_deals', 'open_pipeline', 'open_deals_missing_fx_rate']) }}
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
