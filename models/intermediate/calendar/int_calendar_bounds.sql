-- One row: the first and last day of the project calendar. Each bound is the var when it is set
-- (calendar_start_date, calendar_end_date); else derived from the data, so the calendar covers
-- every staged date: from the start of the fiscal year of the earliest date (or as_of_date) to
-- the end of the fiscal year after the one holding the latest date (or as_of_date). Dates more
-- than 30 years before or 10 after as_of_date are outliers (calendar_window): they do not
-- stretch the calendar, and dq_findings lists the deals among them (outside_calendar, a warning).
{%- set window = calendar_window() %}
{%- set fiscal_year_start_month = var('fiscal_year_start_month') | int %}
{%- set as_of = dbt.cast(sql_string_literal(var('as_of_date')), 'date') %}

with

deals as {{ cte_materialization(false) }} (
    select * from {{ ref('stg_crm__deals') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

activities as (
    select * from {{ ref('stg_crm__activities') }}
),

contracts as {{ cte_materialization(false) }} (
    select * from {{ ref('stg_crm__contracts') }}
),

quotas as (
    select * from {{ ref('stg_crm__quotas') }}
),

revenue_goals as (
    select * from {{ ref('stg_crm__revenue_goals') }}
),

data_dates as (
    select {{ to_local_date('created_at') }} as data_date from deals
    union all
    select {{ to_local_date('closed_at') }} from deals
    union all
    select {{ to_local_date('created_at') }} from leads
    union all
    select {{ to_local_date('started_at') }} from activities
    union all
    select start_date from contracts
    union all
    select end_date from contracts
    union all
    select cast(quota_month as date) from quotas
    union all
    select cast(goal_month as date) from revenue_goals
),

data_range as (
    select
        min(data_date) as first_data_date,
        max(data_date) as last_data_date
    from data_dates
    where
        data_date >= {{ dbt.cast(sql_string_literal(window.window_start | string), 'date') }}
        and data_date <= {{ dbt.cast(sql_string_literal(window.window_end | string), 'date') }}
),

covered as (
    select
        first_data_date,
        last_data_date,
        case when first_data_date < {{ as_of }} then first_data_date else {{ as_of }} end as first_date,
        case when last_data_date > {{ as_of }} then last_data_date else {{ as_of }} end as last_date
    from data_range
),

-- the first day of var('fiscal_year_start_month') in the years of the first and last dates
fiscal_years as (
    select
        first_data_date,
        last_data_date,
        cast({{ dbt.dateadd('month', fiscal_year_start_month - 1, dbt.date_trunc('year', 'first_date')) }} as date)
            as first_year_candidate,
        cast({{ dbt.dateadd('month', fiscal_year_start_month - 1, dbt.date_trunc('year', 'last_date')) }} as date)
            as last_year_candidate,
        first_date,
        last_date
    from covered
),

fiscal_year_starts as (
    select
        first_data_date,
        last_data_date,
        cast(case
            when first_year_candidate > first_date then {{ dbt.dateadd('month', -12, 'first_year_candidate') }}
            else first_year_candidate
        end as date) as first_fiscal_year_start,
        cast(case
            when last_year_candidate > last_date then {{ dbt.dateadd('month', -12, 'last_year_candidate') }}
            else last_year_candidate
        end as date) as last_fiscal_year_start
    from fiscal_years
),

final as (
    select
        {% if window.explicit_start -%}
        {{ dbt.cast(sql_string_literal(window.explicit_start | string), 'date') }}
        {%- else -%}
        first_fiscal_year_start
        {%- endif %} as calendar_start_date,
        {% if window.explicit_end -%}
        {{ dbt.cast(sql_string_literal(window.explicit_end | string), 'date') }}
        {%- else -%}
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 24, 'last_fiscal_year_start')) }} as date)
        {%- endif %} as calendar_end_date,
        first_data_date,
        last_data_date
    from fiscal_year_starts
)

select * from final
