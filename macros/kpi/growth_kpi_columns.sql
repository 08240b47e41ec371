{#- The KPI columns of the growth family (KPI_CATALOGUE.md section C) shared by kpi_growth and
    kpi_growth_lead_sources: revenue and its growth against the previous period of the same grain
    (columns revenue_prior_month / _quarter / _year from macro join_prior_periods), deals won,
    the opportunity cohort (order rate, lost %, open %), the lead → customer cohort, cross-sell and
    upsell shares, and the open pipeline at period end. -#}
{% macro growth_kpi_columns() -%}
        -- revenue and growth (previous period of the same grain; NULL when none or 0)
        cast(revenue as decimal(18, 2)) as revenue,
        cast(revenue_prior_month as decimal(18, 2)) as revenue_prior_month,
        cast(revenue - revenue_prior_month as decimal(18, 2)) as revenue_change_mom,
        {{ pct('revenue - revenue_prior_month', 'revenue_prior_month') }} as revenue_growth_mom_pct,
        cast(revenue_prior_quarter as decimal(18, 2)) as revenue_prior_quarter,
        cast(revenue - revenue_prior_quarter as decimal(18, 2)) as revenue_change_qoq,
        {{ pct('revenue - revenue_prior_quarter', 'revenue_prior_quarter') }} as revenue_growth_qoq_pct,
        cast(revenue_prior_year as decimal(18, 2)) as revenue_prior_year,
        cast(revenue - revenue_prior_year as decimal(18, 2)) as revenue_change_yoy,
        {{ pct('revenue - revenue_prior_year', 'revenue_prior_year') }} as revenue_growth_yoy_pct,
        cast(deals_won as bigint) as deals_won,
        cast(deals_won_missing_fx_rate as bigint) as deals_won_missing_fx_rate,
        -- cross-sell and upsell share of won revenue
        cast(cross_sell_revenue as decimal(18, 2)) as cross_sell_revenue,
        {{ pct('cross_sell_revenue', 'revenue') }} as cross_sell_pct,
        cast(upsell_revenue as decimal(18, 2)) as upsell_revenue,
        {{ pct('upsell_revenue', 'revenue') }} as upsell_pct,
        -- order rate: opportunities created in the period (a cohort), status as of as_of_date
        cast(cohort_opportunities as bigint) as cohort_opportunities,
        cast(cohort_opportunities_won as bigint) as cohort_opportunities_won,
        {{ pct('cohort_opportunities_won', 'cohort_opportunities') }} as order_rate_pct,
        cast(cohort_opportunities_lost as bigint) as cohort_opportunities_lost,
        {{ pct('cohort_opportunities_lost', 'cohort_opportunities') }} as cohort_lost_pct,
        cast(cohort_opportunities_open as bigint) as cohort_opportunities_open,
        {{ pct('cohort_opportunities_open', 'cohort_opportunities') }} as cohort_open_pct,
        -- lead → customer: leads created in the period (a cohort) that became customers
        cast(cohort_leads as bigint) as cohort_leads,
        cast(cohort_leads_to_customer as bigint) as cohort_leads_to_customer,
        {{ pct('cohort_leads_to_customer', 'cohort_leads') }} as lead_to_customer_pct,
        cast(cohort_days_to_customer as bigint) as cohort_days_to_customer,
        cast({{ safe_divide('cohort_days_to_customer', 'cohort_leads_to_customer') }} as decimal(18, 2))
            as avg_days_lead_to_customer,
        -- open pipeline at period end (or at as_of_date for the period in progress)
        cast(pipeline_date as date) as pipeline_date,
        cast(open_deals as bigint) as open_deals,
        cast(open_pipeline as decimal(18, 2)) as open_pipeline,
        cast(open_deals_missing_fx_rate as bigint) as open_deals_missing_fx_rate
{%- endmacro %}
