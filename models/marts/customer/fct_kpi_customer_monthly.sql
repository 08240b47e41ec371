-- One row per month per scope (company, customer segment, region):
-- the month rows of kpi_customer with their keys and additive parts only, the table
-- the semantic layer's `customer` semantic model reads.
-- MetricFlow sums measures over rows, so it must see a single period grain; fiscal quarters and
-- years come from the time spine's custom granularities, re-aggregated from these months.

with

kpi_customer as (
    select * from {{ ref('kpi_customer') }}
),

final as (
    select
        {{ dbt.concat(['scope', "':'", 'scope_id']) }} as scope_key,
        period_start,
        scope,
        scope_id,
        scope_name,
        new_customers,
        acquisition_costs,
        service_requests,
        first_contact_resolutions,
        value_added_calls,
        quotes_delivered,
        quote_turnaround_hours_total
    from kpi_customer
    where period_grain = 'month'
)

select * from final
