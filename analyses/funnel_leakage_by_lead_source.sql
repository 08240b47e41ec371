-- Funnel leakage by lead source for one fiscal year: which sources turn leads into customers,
-- and at which step each one leaks? One row per lead source per funnel step, from the
-- lead-source marts (company-wide, fiscal_year rows): how many entered the step, how many went
-- on, the conversion and drop-off % (100 − conversion), and the overall lead → customer rate.
-- Each step is measured on its own cohort, as in the marts: leads created in the year (lead →
-- opportunity, lead → customer), leads that reached MQL in the year (MQL → SQL), opportunities
-- created in the year (opportunity → won). Outcomes count up to var('as_of_date'), so the
-- latest year's later steps are still filling in. `no_lead` (deals on existing accounts) has
-- no lead steps. Change the label to look at another year.

with

leads_by_source as (
    select * from {{ ref('kpi_leads_lead_sources') }}
    where
        period_grain = 'fiscal_year'
        and period_label = 'FY2025'
),

growth_by_source as (
    select * from {{ ref('kpi_growth_lead_sources') }}
    where
        period_grain = 'fiscal_year'
        and period_label = 'FY2025'
),

steps as (
    select
        lead_source,
        1 as step_order,
        'lead → opportunity' as step,
        'leads created' as cohort,
        new_leads as entered,
        cohort_leads_to_opportunity as advanced
    from leads_by_source
    union all
    select
        lead_source,
        2 as step_order,
        'MQL → SQL' as step,
        'leads that reached MQL' as cohort,
        mql_leads as entered,
        mql_leads_to_sql as advanced
    from leads_by_source
    union all
    select
        lead_source,
        3 as step_order,
        'opportunity → won' as step,
        'opportunities created' as cohort,
        cohort_opportunities as entered,
        cohort_opportunities_won as advanced
    from growth_by_source
),

lead_to_customer as (
    select
        lead_source,
        cohort_leads,
        cohort_leads_to_customer,
        lead_to_customer_pct
    from growth_by_source
),

final as (
    select
        steps.lead_source,
        steps.step_order,
        steps.step,
        steps.cohort,
        steps.entered,
        steps.advanced,
        steps.entered - steps.advanced as dropped,
        {{ pct('steps.advanced', 'steps.entered') }} as conversion_pct,
        {{ pct('steps.entered - steps.advanced', 'steps.entered') }} as drop_off_pct,
        lead_to_customer.cohort_leads_to_customer as leads_became_customers,
        lead_to_customer.lead_to_customer_pct
    from steps
    inner join lead_to_customer
        on steps.lead_source = lead_to_customer.lead_source
)

select * from final
order by lead_to_customer_pct desc nulls last, lead_source asc, step_order asc
