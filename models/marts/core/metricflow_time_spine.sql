-- One row per day of the project calendar (dim_fiscal_calendar): the day-grain MetricFlow time
-- spine (semantic layer). Each day carries the start of its fiscal quarter and fiscal year, so
-- `metric_time__fiscal_quarter` and `metric_time__fiscal_year` group by the fiscal calendar.

with

fiscal_calendar as (
    select * from {{ ref('dim_fiscal_calendar') }}
),

final as (
    select
        date_day,
        fiscal_quarter_start,
        fiscal_year_start,
        fiscal_year,
        fiscal_quarter
    from fiscal_calendar
)

select * from final
