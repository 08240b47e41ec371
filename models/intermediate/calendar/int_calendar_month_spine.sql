-- One row per calendar month from calendar_start_date to calendar_end_date of
-- int_calendar_bounds (the vars, or derived from the data): the bare month spine the fiscal
-- calendar is built on. The series is generated wide enough for any bound (calendar_window)
-- and cut to the bounds.
{%- set window = calendar_window() %}

with

bounds as (
    select * from {{ ref('int_calendar_bounds') }}
),

month_numbers as (
    {{ dbt.generate_series(window.months) }}
),

candidate_months as (
    select
        cast({{ dbt.dateadd('month', 'generated_number - 1', dbt.cast(sql_string_literal(window.first_month | string), 'date')) }} as date)
            as month_start
    from month_numbers
),

final as (
    select candidate_months.month_start
    from candidate_months
    cross join bounds
    where
        candidate_months.month_start >= {{ dbt.date_trunc('month', 'bounds.calendar_start_date') }}
        and candidate_months.month_start <= bounds.calendar_end_date
)

select * from final
