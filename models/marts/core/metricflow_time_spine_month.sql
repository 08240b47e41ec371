-- One row per month of the project calendar (int_calendar_bounds): the
-- month-grain MetricFlow time spine. It carries the fiscal quarter and fiscal year of each month
-- (int_calendar_months, var('fiscal_year_start_month')) as custom granularities, so metrics whose
-- time dimension is monthly can be grouped by `metric_time__fiscal_quarter` / `__fiscal_year`.

with

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

final as (
    select
        month_start,
        fiscal_quarter_start,
        fiscal_year_start,
        fiscal_year,
        fiscal_quarter
    from calendar_months
)

select * from final
