-- One row per period (month, fiscal quarter, fiscal year) per customer scope (company, each
-- customer segment, each region): the customer KPI family (KPI_CATALOGUE.md section D).
-- Additive monthly facts (acquisitions, reactivations, contract revenue, service requests,
-- quotes, value-added calls, acquisition costs) are summed per scope and month, rolled up to
-- each period grain, then divided. Point-in-time measures (customers at period start and end,
-- retained, lost, revenue lost, lifetime revenue to date) are taken per account at the period's
-- boundaries from int_customer_status, then counted per scope: they are not sums of months.

with

customer_status as {{ cte_materialization(false) }} (
    select * from {{ ref('int_customer_status') }}
),

accounts as {{ cte_materialization(false) }} (
    select * from {{ ref('stg_crm__accounts') }}
),

service_requests as (
    select * from {{ ref('stg_crm__service_requests') }}
),

quotes as (
    select * from {{ ref('stg_crm__quotes') }}
),

deals as (
    select * from {{ ref('int_deals_enriched') }}
),

activities as (
    select * from {{ ref('int_activities_enriched') }}
),

acquisition_costs as (
    select * from {{ ref('stg_crm__acquisition_costs') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_to_reporting') }}
),

scope_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_scope_months') }}
),

period_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_period_months') }}
),

as_of as (
    select {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as as_of_date
),

account_scopes as (
    select
        account_id,
        coalesce(segment, {{ unknown_member() }}) as segment,
        coalesce(region, {{ unknown_member() }}) as region
    from accounts
),

-- Additive monthly facts, one CTE per event source (segment and region of the account) ------

customer_facts as (
    select
        segment,
        region,
        month_start,
        case when is_new_customer then 1 else 0 end as new_customers,
        case when is_reactivated_customer then 1 else 0 end as reactivated_customers,
        case when is_active_in_month then 1 else 0 end as customer_months,
        contract_revenue,
        contracts_missing_fx_rate
    from customer_status
),

service_request_facts as (
    select
        coalesce(account_scopes.segment, {{ unknown_member() }}) as segment,
        coalesce(account_scopes.region, {{ unknown_member() }}) as region,
        cast({{ dbt.date_trunc('month', to_local_date('service_requests.opened_at')) }} as date) as month_start,  -- noqa: LT05
        1 as service_requests,
        case
            when service_requests.contact_count = 1
                and {{ to_local_date('service_requests.resolved_at') }} <= as_of.as_of_date
                then 1
            else 0
        end as first_contact_resolutions
    from service_requests
    cross join as_of
    left join account_scopes
        on service_requests.account_id = account_scopes.account_id
    where {{ to_local_date('service_requests.opened_at') }} <= as_of.as_of_date
),

quote_facts as (
    select
        coalesce(account_scopes.segment, {{ unknown_member() }}) as segment,
        coalesce(account_scopes.region, {{ unknown_member() }}) as region,
        cast({{ dbt.date_trunc('month', to_local_date('quotes.delivered_at')) }} as date) as month_start,  -- noqa: LT05
        1 as quotes_delivered,
        cast(
            {{ dbt.datediff('quotes.requested_at', 'quotes.delivered_at', 'second') }} / 3600.0 as decimal(18, 4)  -- noqa: LT05
        ) as quote_turnaround_hours_total
    from quotes
    cross join as_of
    left join deals
        on quotes.deal_id = deals.deal_id
    left join account_scopes
        on deals.account_id = account_scopes.account_id
    where {{ to_local_date('quotes.delivered_at') }} <= as_of.as_of_date
),

call_facts as (
    select
        coalesce(account_scopes.segment, {{ unknown_member() }}) as segment,
        coalesce(account_scopes.region, {{ unknown_member() }}) as region,
        activities.activity_month as month_start,
        case when activities.is_value_added then 1 else 0 end as value_added_calls
    from activities
    left join account_scopes
        on activities.account_id = account_scopes.account_id
    where activities.activity_class = 'call'
),

{%- set measures = {
    'customer_facts': ['new_customers', 'reactivated_customers', 'customer_months', 'contract_revenue',
                       'contracts_missing_fx_rate'],
    'service_request_facts': ['service_requests', 'first_contact_resolutions'],
    'quote_facts': ['quotes_delivered', 'quote_turnaround_hours_total'],
    'call_facts': ['value_added_calls'],
} %}

{% for fact, columns in measures.items() %}
{{ fact }}_by_scope as (
    {{ expand_to_customer_scopes(fact, columns) }}
),

{% endfor -%}

-- Acquisition costs: company scope only (not attributable to a segment or region) ----------

acquisition_costs_by_month as (
    select
        cast(acquisition_costs.cost_month as date) as month_start,
        sum(cast(acquisition_costs.amount_local * fx_rates.rate_to_reporting as decimal(18, 2))) as acquisition_costs,
        sum(case when fx_rates.rate_to_reporting is null then 1 else 0 end) as costs_missing_fx_rate
    from acquisition_costs
    left join fx_rates
        on cast(acquisition_costs.cost_month as date) = fx_rates.rate_month
        and acquisition_costs.currency_code = fx_rates.currency_code
    group by cast(acquisition_costs.cost_month as date)
),

-- Spine: the company in every reporting month, each segment and region seen on an account --

reporting_months as (
    select month_start
    from scope_months
    where scope = 'company'
),

scope_values as (
    select distinct
        'segment' as scope,
        segment as scope_id
    from account_scopes
    union all
    select distinct
        'region' as scope,
        region as scope_id
    from account_scopes
    union all
    select
        'company' as scope,
        'company' as scope_id
),

active_scope_months as (
    select
        scope_values.scope,
        scope_values.scope_id,
        case when scope_values.scope = 'company' then {{ sql_string_literal(var('company_name')) }} else scope_values.scope_id end
            as scope_name,
        reporting_months.month_start
    from scope_values
    cross join reporting_months
    {%- for fact in measures %}
    union
    select
        {{ fact }}_by_scope.scope,
        {{ fact }}_by_scope.scope_id,
        {{ fact }}_by_scope.scope_name,
        {{ fact }}_by_scope.month_start
    from {{ fact }}_by_scope
    inner join reporting_months
        on {{ fact }}_by_scope.month_start = reporting_months.month_start
    {%- endfor %}
),

scope_month_measures as (
    select
        active_scope_months.scope,
        active_scope_months.scope_id,
        active_scope_months.scope_name,
        active_scope_months.month_start,
        {%- for fact, columns in measures.items() %}
        {%- for column in columns %}
        coalesce({{ fact }}_by_scope.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        {%- endfor %}
        case when active_scope_months.scope = 'company' then acquisition_costs_by_month.acquisition_costs end
            as acquisition_costs,
        case when active_scope_months.scope = 'company' then acquisition_costs_by_month.costs_missing_fx_rate end
            as costs_missing_fx_rate,
        1 as months_in_scope
    from active_scope_months
    left join acquisition_costs_by_month
        on active_scope_months.month_start = acquisition_costs_by_month.month_start
    {%- for fact in measures %}
    left join {{ fact }}_by_scope
        on active_scope_months.scope = {{ fact }}_by_scope.scope
        and active_scope_months.scope_id = {{ fact }}_by_scope.scope_id
        and active_scope_months.month_start = {{ fact }}_by_scope.month_start
    {%- endfor %}
),

period_measures as (
    select
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        scope_month_measures.scope,
        scope_month_measures.scope_id,
        max(scope_month_measures.scope_name) as scope_name,
        {%- for columns in measures.values() %}
        {%- for column in columns %}
        sum(scope_month_measures.{{ column }}) as {{ column }},
        {%- endfor %}
        {%- endfor %}
        sum(scope_month_measures.acquisition_costs) as acquisition_costs,
        sum(scope_month_measures.costs_missing_fx_rate) as costs_missing_fx_rate,
        sum(scope_month_measures.months_in_scope) as months_in_scope
    from scope_month_measures
    inner join period_months
        on scope_month_measures.month_start = period_months.month_start
    group by
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        scope_month_measures.scope,
        scope_month_measures.scope_id
),

-- Point-in-time measures per account and period, counted per scope ---------------------------

reporting_periods as (
    select distinct
        period_months.period_grain,
        period_months.period_start,
        cast(
            {{ dbt.date_trunc('month', 'least(period_months.period_end, as_of.as_of_date)') }}
            as date
        ) as last_measured_month
    from period_months
    cross join as_of
    inner join reporting_months
        on period_months.month_start = reporting_months.month_start
),

account_periods as (
    select
        reporting_periods.period_grain,
        reporting_periods.period_start,
        customer_status.account_id,
        max(customer_status.segment) as segment,
        max(customer_status.region) as region,
        max(
            case
                when customer_status.month_start = reporting_periods.period_start
                    and customer_status.is_customer_at_start
                    then 1
                else 0
            end
        ) as was_customer_at_start,
        max(
            case
                when customer_status.month_start = reporting_periods.last_measured_month
                    and customer_status.is_customer_at_end
                    then 1
                else 0
            end
        ) as is_customer_at_end,
        sum(case when customer_status.month_start = reporting_periods.period_start then customer_status.mrr_at_start else 0 end)
            as mrr_at_start,
        sum(customer_status.contract_revenue) as contract_revenue_to_date,
        1 as customers_acquired_to_date
    from customer_status
    inner join reporting_periods
        on customer_status.month_start <= reporting_periods.last_measured_month
    group by
        reporting_periods.period_grain,
        reporting_periods.period_start,
        customer_status.account_id
),

account_period_facts as (
    select
        period_grain,
        period_start,
        segment,
        region,
        was_customer_at_start as customers_at_start,
        is_customer_at_end as customers_at_end,
        case when was_customer_at_start = 1 and is_customer_at_end = 1 then 1 else 0 end as customers_retained,
        case when was_customer_at_start = 1 and is_customer_at_end = 0 then 1 else 0 end as customers_lost,
        case when was_customer_at_start = 1 and is_customer_at_end = 0 then mrr_at_start else 0 end as revenue_lost_churn,
        contract_revenue_to_date,
        customers_acquired_to_date
    from account_periods
),

{%- set point_in_time_measures = ['customers_at_start', 'customers_at_end', 'customers_retained', 'customers_lost',
                                  'revenue_lost_churn', 'contract_revenue_to_date', 'customers_acquired_to_date'] %}

point_in_time_by_scope as (
    {{ expand_to_customer_scopes('account_period_facts', point_in_time_measures,
                                 time_columns=['period_grain', 'period_start']) }}
),

with_point_in_time as (
    select
        period_measures.*,
        {%- for column in point_in_time_measures %}
        coalesce(point_in_time_by_scope.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        1 as has_point_in_time
    from period_measures
    left join point_in_time_by_scope
        on period_measures.period_grain = point_in_time_by_scope.period_grain
        and period_measures.period_start = point_in_time_by_scope.period_start
        and period_measures.scope = point_in_time_by_scope.scope
        and period_measures.scope_id = point_in_time_by_scope.scope_id
),

with_lifetime_value as (
    select
        with_point_in_time.*,
        {{ safe_divide('contract_revenue', 'customer_months') }} as revenue_per_customer_month,
        {{ safe_divide('customers_lost', 'customers_at_start * months_in_scope') }} as monthly_churn_rate,
        {{ safe_divide(
            safe_divide('contract_revenue', 'customer_months'),
            safe_divide('customers_lost', 'customers_at_start * months_in_scope')
        ) }} as clv_predictive,
        {{ safe_divide('acquisition_costs', 'new_customers') }} as cac
    from with_point_in_time
),

final as (
    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(period_label as {{ dbt.type_string() }}) as period_label,
        period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as is_complete_period,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(scope_name as {{ dbt.type_string() }}) as scope_name,
        -- customers, retention and churn
        cast(customers_at_start as bigint) as customers_at_start,
        cast(customers_at_end as bigint) as customers_at_end,
        cast(new_customers as bigint) as new_customers,
        cast(reactivated_customers as bigint) as reactivated_customers,
        cast(customers_retained as bigint) as customers_retained,
        cast(customers_lost as bigint) as customers_lost,
        {{ pct('customers_retained', 'customers_at_start') }} as customer_retention_pct,
        {{ pct('customers_lost', 'customers_at_start') }} as churn_rate_pct,
        cast(revenue_lost_churn as decimal(18, 2)) as revenue_lost_churn,
        -- lifetime value
        cast(contract_revenue as decimal(18, 2)) as contract_revenue,
        cast(customer_months as bigint) as customer_months,
        cast(months_in_scope as bigint) as months_measured,
        cast(revenue_per_customer_month as decimal(18, 2)) as revenue_per_customer_month,
        cast(round(cast(100 * monthly_churn_rate as decimal(38, 10)), 4) as decimal(18, 4)) as monthly_churn_rate_pct,
        cast(clv_predictive as decimal(18, 2)) as clv_predictive,
        cast(contract_revenue_to_date as decimal(18, 2)) as contract_revenue_to_date,
        cast(customers_acquired_to_date as bigint) as customers_acquired_to_date,
        cast({{ safe_divide('contract_revenue_to_date', 'customers_acquired_to_date') }} as decimal(18, 2)) as clv_historical,
        cast(contracts_missing_fx_rate as bigint) as contracts_missing_fx_rate,
        -- acquisition cost
        cast(acquisition_costs as decimal(18, 2)) as acquisition_costs,
        cast(costs_missing_fx_rate as bigint) as costs_missing_fx_rate,
        cast(cac as decimal(18, 2)) as cac,
        cast({{ safe_divide('clv_predictive', 'cac') }} as decimal(18, 4)) as ltv_cac_ratio,
        -- service, calls, quotes
        cast(service_requests as bigint) as service_requests,
        cast(first_contact_resolutions as bigint) as first_contact_resolutions,
        {{ pct('first_contact_resolutions', 'service_requests') }} as first_contact_resolution_pct,
        cast(value_added_calls as bigint) as value_added_calls,
        cast(quotes_delivered as bigint) as quotes_delivered,
        cast(quote_turnaround_hours_total as decimal(18, 4)) as quote_turnaround_hours_total,
        cast({{ safe_divide('quote_turnaround_hours_total', 'quotes_delivered') }} as decimal(18, 2)) as quote_turnaround_hours
    from with_lifetime_value
)

select * from final
