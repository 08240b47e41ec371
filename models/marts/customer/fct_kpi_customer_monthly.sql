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
        quote_turnaround_hours_total,
        -- increments of the to-date balances (the first month carries everything before it, incl.
        -- history before the reporting window), so a running sum gives back the balance exactly
        cast(contract_revenue_to_date - coalesce(
            lag(contract_revenue_to_date) over (partition by scope, scope_id order by period_start), 0
        ) as decimal(18, 2)) as contract_revenue_to_date_added,
        cast(customers_acquired_to_date - coalesce(
            lag(customers_acquired_to_date) over (partition by scope, scope_id order by period_start), 0
        ) as bigint) as customers_acquired_to_date_added
    from kpi_customer
    where period_grain = 'month'
)

select * from final
