-- One row per calendar month from var('calendar_start_date') to var('calendar_end_date'):
-- the bare month spine the fiscal calendar is built on.

with

month_spine as (
    {{ dbt.date_spine(
        'month',
        dbt.cast(sql_string_literal(var('calendar_start_date')), 'date'),
        dbt.cast(sql_string_literal(var('calendar_end_date')), 'date')
    ) }}
),

final as (
    select cast(date_month as date) as month_start
    from month_spine
)

select * from final
