-- One row per calendar month with its fiscal quarter and fiscal year for
-- var('fiscal_year_start_month'). A fiscal year is named by the calendar year it starts in:
-- with the Japanese April start, FY2025 runs from 2025-04-01 to 2026-03-31.

with

month_spine as (
    select month_start from {{ ref('int_calendar_month_spine') }}
),

months_into_fiscal_year as (
    select
        month_start,
        mod(cast(extract(month from month_start) as integer) - {{ var('fiscal_year_start_month') | int }} + 12, 12)
            as fiscal_month_index
    from month_spine
),

fiscal_starts as (
    select
        month_start,
        fiscal_month_index,
        cast({{ dbt.dateadd('month', '-1 * fiscal_month_index', 'month_start') }} as date) as fiscal_year_start,
        cast({{ dbt.dateadd('month', '-1 * mod(fiscal_month_index, 3)', 'month_start') }} as date) as fiscal_quarter_start,
        cast((fiscal_month_index - mod(fiscal_month_index, 3)) / 3 + 1 as integer) as fiscal_quarter
    from months_into_fiscal_year
),

months as (
    select
        month_start,
        cast({{ dbt.last_day('month_start', 'month') }} as date) as month_end,
        {{ dbt.concat([
            dbt.cast('extract(year from month_start)', dbt.type_string()),
            "'-'",
            "lpad(" ~ dbt.cast('extract(month from month_start)', dbt.type_string()) ~ ", 2, '0')"
        ]) }} as month_label,
        cast(extract(year from fiscal_year_start) as integer) as fiscal_year,
        fiscal_quarter,
        fiscal_month_index + 1 as fiscal_month,
        fiscal_year_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, 'fiscal_year_start')) }} as date) as fiscal_year_end,
        fiscal_quarter_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'fiscal_quarter_start')) }} as date) as fiscal_quarter_end
    from fiscal_starts
),

-- the labels the period tables and dim_fiscal_calendar show: FY2025, FY2025 Q1
final as (
    select
        months.*,
        {{ dbt.concat(["'FY'", dbt.cast('fiscal_year', dbt.type_string())]) }} as fiscal_year_label,
        {{ dbt.concat([
            "'FY'", dbt.cast('fiscal_year', dbt.type_string()),
            "' Q'", dbt.cast('fiscal_quarter', dbt.type_string()),
        ]) }} as fiscal_quarter_label
    from months
)

select * from final
