-- One row per acquisition cohort (the month of the accounts' first contract) per month since
-- acquisition (0 = the acquisition month) per customer scope (company, segment, region): the
-- cohort retention triangle (コホート). A cohort's customer counts as retained N months later
-- while it has stayed a customer without a break since acquisition (measured at each month's
-- end; the as-of date for the month in progress): a customer who lapses leaves the curve for
-- good, even if reactivated later, so every cohort's share is non-increasing with age. Rows stop
-- at the month of var('as_of_date').

with

customer_status as {{ cte_materialization(false) }} (
    select * from {{ ref('int_customer_status') }}
),

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

cohort_members as (
    select
        segment,
        region,
        acquisition_month,
        months_since_acquisition,
        1 as cohort_customers,
        case when is_retained_since_acquisition then 1 else 0 end as customers_retained
    from customer_status
),

cohort_counts as (
    {{ expand_to_customer_scopes('cohort_members', ['cohort_customers', 'customers_retained'],
                                 time_columns=['acquisition_month', 'months_since_acquisition']) }}
),

final as (
    select
        cast('month' as {{ dbt.type_string() }}) as period_grain,
        cast(cohort_counts.acquisition_month as date) as period_start,
        cast(calendar_months.month_end as date) as period_end,
        cast(calendar_months.month_label as {{ dbt.type_string() }}) as period_label,
        calendar_months.month_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as is_complete_period,
        cast(cohort_counts.scope as {{ dbt.type_string() }}) as scope,
        cast(cohort_counts.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(cohort_counts.scope_name as {{ dbt.type_string() }}) as scope_name,
        cast(cohort_counts.months_since_acquisition as integer) as months_since_acquisition,
        cast({{ dbt.dateadd('month', 'cohort_counts.months_since_acquisition', 'cohort_counts.acquisition_month') }} as date)
            as measured_month,
        cast(cohort_counts.cohort_customers as bigint) as cohort_customers,
        cast(cohort_counts.customers_retained as bigint) as customers_retained,
        {{ pct('cohort_counts.customers_retained', 'cohort_counts.cohort_customers') }} as cohort_retention_pct
    from cohort_counts
    inner join calendar_months
        on cohort_counts.acquisition_month = calendar_months.month_start
)

select * from final
