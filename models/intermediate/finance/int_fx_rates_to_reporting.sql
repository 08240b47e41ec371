-- One row per month and source currency: the rate that converts one unit of that currency
-- into var('reporting_currency') in that month. Taken, in order of preference, from a direct
-- rate (X → reporting), the inverse of a reporting → X rate, a cross rate through a common
-- quote currency (X → Q and reporting → Q), or a chain through an intermediate currency
-- (X → Q and Q → reporting). The reporting currency converts at 1. A month
-- with no way to convert a currency has no row: amounts in it stay NULL and are flagged.

with

rates as (
    select
        rate_month,
        currency_code,
        quote_currency,
        rate
    from {{ ref('stg_crm__fx_rates') }}
    where currency_code <> quote_currency
),

direct_rates as (
    select
        rate_month,
        currency_code,
        cast(rate as {{ type_double() }}) as rate_to_reporting,
        1 as preference
    from rates
    where quote_currency = {{ sql_string_literal(var('reporting_currency')) }}
),

inverse_rates as (
    select
        rate_month,
        quote_currency as currency_code,
        1.0 / cast(rate as {{ type_double() }}) as rate_to_reporting,
        2 as preference
    from rates
    where currency_code = {{ sql_string_literal(var('reporting_currency')) }}
),

cross_rates as (
    select
        from_rates.rate_month,
        from_rates.currency_code,
        cast(from_rates.rate as {{ type_double() }}) / cast(reporting_rates.rate as {{ type_double() }}) as rate_to_reporting,
        3 as preference
    from rates as from_rates
    inner join rates as reporting_rates
        on from_rates.rate_month = reporting_rates.rate_month
        and from_rates.quote_currency = reporting_rates.quote_currency
    where reporting_rates.currency_code = {{ sql_string_literal(var('reporting_currency')) }}
        and from_rates.currency_code <> {{ sql_string_literal(var('reporting_currency')) }}
),

chained_rates as (
    select
        from_rates.rate_month,
        from_rates.currency_code,
        cast(from_rates.rate as {{ type_double() }}) * cast(to_reporting_rates.rate as {{ type_double() }}) as rate_to_reporting,
        4 as preference
    from rates as from_rates
    inner join rates as to_reporting_rates
        on from_rates.rate_month = to_reporting_rates.rate_month
        and from_rates.quote_currency = to_reporting_rates.currency_code
    where to_reporting_rates.quote_currency = {{ sql_string_literal(var('reporting_currency')) }}
        and from_rates.currency_code <> {{ sql_string_literal(var('reporting_currency')) }}
),

reporting_currency_months as (
    select
        month_start as rate_month,
        {{ sql_string_literal(var('reporting_currency')) }} as currency_code,
        cast(1 as {{ type_double() }}) as rate_to_reporting,
        0 as preference
    from {{ ref('int_calendar_month_spine') }}
),

candidates as (
    select * from reporting_currency_months
    union all
    select * from direct_rates
    union all
    select * from inverse_rates
    union all
    select * from cross_rates
    union all
    select * from chained_rates
),

ranked as (
    select
        rate_month,
        currency_code,
        rate_to_reporting,
        preference,
        row_number() over (partition by rate_month, currency_code order by preference) as preference_rank
    from candidates
),

final as (
    select
        rate_month,
        currency_code,
        {{ sql_string_literal(var('reporting_currency')) }} as reporting_currency,
        rate_to_reporting,
        case preference
            when 0 then 'identity'
            when 1 then 'direct'
            when 2 then 'inverse'
            when 3 then 'cross'
            else 'chained'
        end as rate_source
    from ranked
    where preference_rank = 1
)

select * from final
