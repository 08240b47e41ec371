-- One row per calendar day from var('calendar_start_date') to var('calendar_end_date'): the
-- MetricFlow time spine (semantic layer). Each day carries the start of its fiscal quarter and
-- fiscal year from the project calendar (int_calendar_months, var('fiscal_year_start_month')),
-- so `metric_time__fiscal_quarter` and `metric_time__fiscal_year` group by the fiscal calendar.

with

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

day_spine as (
    {{ dbt.date_spine(
        'day',
        dbt.cast(sql_string_literal(var('calendar_start_date')), 'date'),
        dbt.dateadd('day', 1, dbt.cast(sql_string_literal(var('calendar_end_date')), 'date'))
    ) }}
),

days as (
    select
        cast(date_day as date) as date_day,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start
    from day_spine
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
