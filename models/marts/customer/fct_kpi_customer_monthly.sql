-- One row per month per customer scope (company, each customer segment, each region) in the
-- reporting window: the additive parts of the customer KPI family (KPI_CATALOGUE.md section D),
-- built from the account- and event-level models. Acquisitions, reactivations, customer-months,
-- contract revenue, service requests, quotes, value-added calls (segment and region of the
-- account) and acquisition costs (company scope only) count in their month; the to-date
-- increments let a running sum give back the lifetime balances. kpi_customer rolls these rows up
-- to fiscal quarters and years; the semantic layer's `customer` semantic model reads them.

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

acquisition_costs_by_scope as (
    select
        'company' as scope,
        'company' as scope_id,
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

first_reporting_month as (
    select min(month_start) as month_start
    from reporting_months
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

-- Increments of the to-date balances (contract revenue and customers acquired up to a month):
-- a month's own contract revenue and first-contract accounts, the first reporting month also
-- carrying everything before it, so a running sum over the months gives back the balance.

account_first_months as (
    select
        account_id,
        min(month_start) as first_month_start
    from customer_status
    group by account_id
),

account_to_date_facts as (
    select
        customer_status.segment,
        customer_status.region,
        case
            when customer_status.month_start < first_reporting_month.month_start then first_reporting_month.month_start
            else customer_status.month_start
        end as month_start,
        customer_status.contract_revenue as contract_revenue_to_date_added,
        case
            when customer_status.month_start = account_first_months.first_month_start then 1 else 0
        end as customers_acquired_to_date_added
    from customer_status
    cross join first_reporting_month
    inner join account_first_months
        on customer_status.account_id = account_first_months.account_id
),

{%- set to_date_measures = ['contract_revenue_to_date_added', 'customers_acquired_to_date_added'] %}

to_date_by_scope as (
    {{ expand_to_customer_scopes('account_to_date_facts', to_date_measures) }}
),

{%- set measures_by_scope = {'acquisition_costs_by_scope': ['acquisition_costs', 'costs_missing_fx_rate'],
                             'to_date_by_scope': to_date_measures} %}
{%- for fact, columns in measures.items() %}
{%- do measures_by_scope.update({fact ~ '_by_scope': columns}) %}
{%- endfor %}

scope_month_measures as (
    {{ join_measures_to_spine('active_scope_months', measures_by_scope,
                              nullable=['acquisition_costs', 'costs_missing_fx_rate']) | indent(4) }}
),

final as (
    select
        {{ scope_month_columns() | indent(8) }},
        cast(new_customers as bigint) as new_customers,
        cast(acquisition_costs as decimal(18, 2)) as acquisition_costs,
        cast(service_requests as bigint) as service_requests,
        cast(first_contact_resolutions as bigint) as first_contact_resolutions,
        cast(value_added_calls as bigint) as value_added_calls,
        cast(quotes_delivered as bigint) as quotes_delivered,
        cast(quote_turnaround_hours_total as decimal(18, 4)) as quote_turnaround_hours_total,
        cast(contract_revenue_to_date_added as decimal(18, 2)) as contract_revenue_to_date_added,
        cast(customers_acquired_to_date_added as bigint) as customers_acquired_to_date_added,
        cast(reactivated_customers as bigint) as reactivated_customers,
        cast(customer_months as bigint) as customer_months,
        cast(contract_revenue as decimal(18, 2)) as contract_revenue,
        cast(contracts_missing_fx_rate as bigint) as contracts_missing_fx_rate,
        cast(costs_missing_fx_rate as bigint) as costs_missing_fx_rate
    from scope_month_measures
)

select * from final
