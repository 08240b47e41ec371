-- Cohort retention triangle for the company: of the customers acquired in a month, what share
-- is still a customer (without a break) 0, 1, 2, … 12 months later — do newer cohorts hold on
-- better than older ones? One row per acquisition month (kpi_customer_cohorts, scope company),
-- one column per age; the cells after the as-of month are NULL, which gives the triangle.
-- Pivoted with portable conditional aggregation (max(case …)), no engine-specific PIVOT. Change
-- the scope filter to `segment` / `region` (and add scope_id) for a triangle per segment.

with

cohorts as (
    select * from {{ ref('kpi_customer_cohorts') }}
    where scope = 'company'
),

final as (
    select
        period_label as cohort_month,
        max(cohort_customers) as cohort_customers,
        {%- for age in range(13) %}
        max(case when months_since_acquisition = {{ age }} then cohort_retention_pct end) as m{{ age }}_pct
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from cohorts
    group by period_label
)

select * from final
order by cohort_month asc
