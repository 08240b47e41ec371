-- One row per period (month, fiscal quarter, fiscal year) per customer scope (company, each
-- customer segment, each region): the customer KPI family (KPI_CATALOGUE.md section D). The
-- additive parts per scope and month (acquisitions, reactivations, contract revenue, service
-- requests, quotes, value-added calls, acquisition costs, to-date increments) come from
-- fct_kpi_customer_monthly; here they are rolled up to each period grain, then divided.
-- Point-in-time measures (customers at period start and end, retained, lost, revenue lost) are
-- not sums of months: they are taken per account at the period's boundaries from
-- int_customer_status here, then counted per scope.
{%- set measures = ['new_customers', 'reactivated_customers', 'customer_months', 'contract_revenue',
                    'contracts_missing_fx_rate', 'service_requests', 'first_contact_resolutions', 'quotes_delivered',
                    'quote_turnaround_hours_total', 'value_added_calls', 'acquisition_costs', 'costs_missing_fx_rate'] %}

with

customer_monthly as {{ cte_materialization(false) }} (
    select * from {{ ref('fct_kpi_customer_monthly') }}
),

customer_status as {{ cte_materialization(false) }} (
    select * from {{ ref('int_customer_status') }}
),

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

period_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_period_months') }}
),

as_of as (
    select {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as as_of_date
),

scope_month_measures as (
    select
        scope,
        scope_id,
        scope_name,
        {%- for column in measures %}
        {{ column }},
        {%- endfor %}
        1 as months_in_scope,
        period_start as month_start
    from customer_monthly
),

period_measures as (
    {{ roll_up_to_periods(measures + ['months_in_scope']) | indent(4) }}
),

reporting_months as (
    select month_start
    from scope_months
    where scope = 'company'
),

-- Point-in-time measures per account and period, counted per scope ---------------------------

reporting_periods as (
    select distinct
        period_months.period_grain,
        period_months.period_start,
        cast(
            {{ dbt.date_trunc('month', 'least(period_months.period_end, as_of.as_of_date)') }}
            as date
        ) as last_measured_month
    from period_months
    cross join as_of
    inner join reporting_months
        on period_months.month_start = reporting_months.month_start
),

account_periods as (
    select
        reporting_periods.period_grain,
        reporting_periods.period_start,
        customer_status.account_id,
        max(customer_status.segment) as segment,
        max(customer_status.region) as region,
        max(
            case
                when customer_status.month_start = reporting_periods.period_start
                    and customer_status.is_customer_at_start
                    then 1
                else 0
            end
        ) as was_customer_at_start,
        max(
            case
                when customer_status.month_start = reporting_periods.last_measured_month
                    and customer_status.is_customer_at_end
                    then 1
                else 0
            end
        ) as is_customer_at_end,
        sum(case when customer_status.month_start = reporting_periods.period_start then customer_status.mrr_at_start else 0 end)
            as mrr_at_start
    from customer_status
    inner join reporting_periods
        on customer_status.month_start <= reporting_periods.last_measured_month
    group by
        reporting_periods.period_grain,
        reporting_periods.period_start,
        customer_status.account_id
),

account_period_facts as (
    select
        period_grain,
        period_start,
        segment,
        region,
        was_customer_at_start as customers_at_start,
        is_customer_at_end as customers_at_end,
        case when was_customer_at_start = 1 and is_customer_at_end = 1 then 1 else 0 end as customers_retained,
        case when was_customer_at_start = 1 and is_customer_at_end = 0 then 1 else 0 end as customers_lost,
        case when was_customer_at_start = 1 and is_customer_at_end = 0 then mrr_at_start else 0 end as revenue_lost_churn
    from account_periods
),

{%- set point_in_time_measures = ['customers_at_start', 'customers_at_end', 'customers_retained', 'customers_lost',
                                  'revenue_lost_churn'] %}

point_in_time_by_scope as (
    {{ expand_to_customer_scopes('account_period_facts', point_in_time_measures,
                                 time_columns=['period_grain', 'period_start']) }}
),

-- Lifetime balances: the running sum of the fact's to-date increments up to the period's last
-- measured month
to_date_by_scope as (
    select
        reporting_periods.period_grain,
        reporting_periods.period_start,
        customer_monthly.scope,
        customer_monthly.scope_id,
        sum(customer_monthly.contract_revenue_to_date_added) as contract_revenue_to_date,
        sum(customer_monthly.customers_acquired_to_date_added) as customers_acquired_to_date
    from reporting_periods
    inner join customer_monthly
        on reporting_periods.last_measured_month >= customer_monthly.period_start
    group by
        reporting_periods.period_grain,
        reporting_periods.period_start,
        customer_monthly.scope,
        customer_monthly.scope_id
),

with_point_in_time as (
    select
        period_measures.*,
        {%- for column in point_in_time_measures %}
        coalesce(point_in_time_by_scope.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        coalesce(to_date_by_scope.contract_revenue_to_date, 0) as contract_revenue_to_date,
        coalesce(to_date_by_scope.customers_acquired_to_date, 0) as customers_acquired_to_date
    from period_measures
    left join point_in_time_by_scope
        using (period_grain, period_start, scope, scope_id)
    left join to_date_by_scope
        using (period_grain, period_start, scope, scope_id)
),

with_lifetime_value as (
    select
        with_point_in_time.*,
        {{ safe_divide('contract_revenue', 'customer_months') }} as revenue_per_customer_month,
        {{ safe_divide('customers_lost', 'customers_at_start * months_in_scope') }} as monthly_churn_rate,
        {{ safe_divide(
            safe_divide('contract_revenue', 'customer_months'),
            safe_divide('customers_lost', 'customers_at_start * months_in_scope')
        ) }} as clv_predictive,
        {{ safe_divide('acquisition_costs', 'new_customers') }} as cac
    from with_point_in_time
),

final as (
    select
        {{ period_scope_columns() | indent(8) }},
        -- customers, retention and churn
        cast(customers_at_start as bigint) as customers_at_start,
        cast(customers_at_end as bigint) as customers_at_end,
        cast(new_customers as bigint) as new_customers,
        cast(reactivated_customers as bigint) as reactivated_customers,
        cast(customers_retained as bigint) as customers_retained,
        cast(customers_lost as bigint) as customers_lost,
        {{ pct('customers_retained', 'customers_at_start') }} as customer_retention_pct,
        {{ pct('customers_lost', 'customers_at_start') }} as churn_rate_pct,
        cast(revenue_lost_churn as decimal(18, 2)) as revenue_lost_churn,
        -- lifetime value
        cast(contract_revenue as decimal(18, 2)) as contract_revenue,
        cast(customer_months as bigint) as customer_months,
        cast(months_in_scope as bigint) as months_measured,
        cast(revenue_per_customer_month as decimal(18, 2)) as revenue_per_customer_month,
        cast(round(cast(100 * monthly_churn_rate as decimal(38, 10)), 4) as decimal(18, 4)) as monthly_churn_rate_pct,
        cast(clv_predictive as decimal(18, 2)) as clv_predictive,
        cast(contract_revenue_to_date as decimal(18, 2)) as contract_revenue_to_date,
        cast(customers_acquired_to_date as bigint) as customers_acquired_to_date,
        cast({{ safe_divide('contract_revenue_to_date', 'customers_acquired_to_date') }} as decimal(18, 2)) as clv_historical,
        cast(contracts_missing_fx_rate as bigint) as contracts_missing_fx_rate,
        -- acquisition cost
        cast(acquisition_costs as decimal(18, 2)) as acquisition_costs,
        cast(costs_missing_fx_rate as bigint) as costs_missing_fx_rate,
        cast(cac as decimal(18, 2)) as cac,
        cast({{ safe_divide('clv_predictive', 'cac') }} as decimal(18, 4)) as ltv_cac_ratio,
        -- service, calls, quotes
        cast(service_requests as bigint) as service_requests,
        cast(first_contact_resolutions as bigint) as first_contact_resolutions,
        {{ pct('first_contact_resolutions', 'service_requests') }} as first_contact_resolution_pct,
        cast(value_added_calls as bigint) as value_added_calls,
        cast(quotes_delivered as bigint) as quotes_delivered,
        cast(quote_turnaround_hours_total as decimal(18, 4)) as quote_turnaround_hours_total,
        cast({{ safe_divide('quote_turnaround_hours_total', 'quotes_delivered') }} as decimal(18, 2)) as quote_turnaround_hours
    from with_lifetime_value
)

select * from final
