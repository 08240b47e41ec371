-- One row per day of the project calendar (int_calendar_months; bounds in int_calendar_bounds): the
-- MetricFlow time spine (semantic layer). Each day carries the start of its fiscal quarter and
-- fiscal year from the project calendar (int_calendar_months, var('fiscal_year_start_month')),
-- so `metric_time__fiscal_quarter` and `metric_time__fiscal_year` group by the fiscal calendar.

with

calendar_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_calendar_months') }}
),

day_numbers as (
    {{ dbt.generate_series(31) }}
),

days as (
    select
        cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'calendar_months.month_start') }} as date) as date_day,
        calendar_months.month_start
    from calendar_months
    cross join day_numbers
    where
        day_numbers.generated_number
        <= {{ dbt.datediff('calendar_months.month_start', dbt.dateadd('month', 1, 'calendar_months.month_start'), 'day') }}
),

final as (
    select
        days.date_day,
        calendar_months.fiscal_quarter_start,
        calendar_months.fiscal_year_start,
        calendar_months.fiscal_year,
        calendar_months.fiscal_quarter
    from days
    inner join calendar_months
        on days.month_start = calendar_months.month_start
)

select * from final
