-- One row per account per calendar month, from the month its first contract starts to the
-- month of var('as_of_date'): whether the account is a customer (has at least one active
-- contract) on the day before the month starts and on its last day (the as-of date for the
-- month in progress), whether it was acquired, came back or was lost in the month, and its
-- contract revenue. Contracts are dated (no time of day), so no time-zone shift applies. A
-- renewal that starts the day after the previous contract ends, or overlapping contracts, keep
-- the account a customer without a break; a gap of at least one day at a month end ends it
-- (lost), and a later contract brings it back (reactivated, not new: it keeps its acquisition
-- month). Status is measured at month boundaries: a gap that opens and closes inside one month
-- is not a churn.

with

-- a contract exported without an account counts for the {{ unknown_member() }} account (dq_findings lists it)
contracts as (
    select
        contract_id,
        coalesce(account_id, {{ unknown_member() }}) as account_id,
        deal_id,
        start_date,
        end_date,
        monthly_amount_local,
        currency_code,
        updated_at
    from {{ ref('stg_crm__contracts') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_to_reporting') }}
),

as_of as (
    select {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as as_of_date
),

contracts_as_of as (
    select contracts.*
    from contracts
    cross join as_of
    where contracts.start_date <= as_of.as_of_date
),

account_acquisitions as (
    select
        account_id,
        min(start_date) as first_contract_date
    from contracts_as_of
    group by account_id
),

account_months as (
    select
        account_acquisitions.account_id,
        cast({{ dbt.date_trunc('month', 'account_acquisitions.first_contract_date') }} as date) as acquisition_month,
        calendar_months.month_start,
        calendar_months.month_end,
        case
            when calendar_months.month_end < as_of.as_of_date then calendar_months.month_end else as_of.as_of_date
        end as measured_end_date,
        cast({{ dbt.dateadd('day', -1, 'calendar_months.month_start') }} as date) as day_before_month
    from account_acquisitions
    cross join as_of
    inner join calendar_months
        on account_acquisitions.first_contract_date <= calendar_months.month_end
        and as_of.as_of_date >= calendar_months.month_start
),

contract_months as (
    select
        account_months.account_id,
        account_months.month_start,
        contracts_as_of.contract_id,
        contracts_as_of.start_date <= account_months.day_before_month
        and (contracts_as_of.end_date is null or contracts_as_of.end_date >= account_months.day_before_month)
            as is_active_at_start,
        contracts_as_of.start_date <= account_months.measured_end_date
        and (contracts_as_of.end_date is null or contracts_as_of.end_date >= account_months.measured_end_date)
            as is_active_at_end,
        contracts_as_of.start_date <= account_months.measured_end_date
        and (contracts_as_of.end_date is null or contracts_as_of.end_date >= account_months.month_start)
            as is_active_in_month,
        contracts_as_of.monthly_amount_local * fx_rates.rate_to_reporting as monthly_amount,
        fx_rates.rate_to_reporting is null as is_missing_fx_rate
    from account_months
    inner join contracts_as_of
        on account_months.account_id = contracts_as_of.account_id
        and account_months.measured_end_date >= contracts_as_of.start_date
        and (contracts_as_of.end_date is null or account_months.day_before_month <= contracts_as_of.end_date)
    left join fx_rates
        on account_months.month_start = fx_rates.rate_month
        and contracts_as_of.currency_code = fx_rates.currency_code
),

account_month_contracts as (
    select
        account_id,
        month_start,
        max(case when is_active_at_start then 1 else 0 end) as is_customer_at_start,
        max(case when is_active_at_end then 1 else 0 end) as is_customer_at_end,
        max(case when is_active_in_month then 1 else 0 end) as is_active_in_month,
        sum(case when is_active_at_start then monthly_amount end) as mrr_at_start,
        sum(case when is_active_at_end then monthly_amount end) as mrr_at_end,
        sum(case when is_active_in_month then monthly_amount end) as contract_revenue,
        sum(case when is_active_in_month and is_missing_fx_rate then 1 else 0 end) as contracts_missing_fx_rate
    from contract_months
    group by account_id, month_start
),

account_month_status as (
    select
        account_months.account_id,
        account_months.acquisition_month,
        account_months.month_start,
        account_months.month_end,
        account_months.measured_end_date,
        coalesce(account_month_contracts.is_customer_at_start, 0) = 1 as is_customer_at_start,
        coalesce(account_month_contracts.is_customer_at_end, 0) = 1 as is_customer_at_end,
        coalesce(account_month_contracts.is_active_in_month, 0) = 1 as is_active_in_month,
        coalesce(account_month_contracts.mrr_at_start, 0) as mrr_at_start,
        coalesce(account_month_contracts.mrr_at_end, 0) as mrr_at_end,
        coalesce(account_month_contracts.contract_revenue, 0) as contract_revenue,
        coalesce(account_month_contracts.contracts_missing_fx_rate, 0) as contracts_missing_fx_rate
    from account_months
    left join account_month_contracts
        on account_months.account_id = account_month_contracts.account_id
        and account_months.month_start = account_month_contracts.month_start
),

first_lapses as (
    select
        account_id,
        min(month_start) as first_lapse_month
    from account_month_status
    where not is_customer_at_end
    group by account_id
),

final as (
    select
        account_month_status.account_id,
        accounts.account_name,
        coalesce(accounts.segment, {{ unknown_member() }}) as segment,
        coalesce(accounts.region, {{ unknown_member() }}) as region,
        account_month_status.month_start,
        account_month_status.month_end,
        account_month_status.measured_end_date,
        account_month_status.acquisition_month,
        cast(
            {{ dbt.datediff('account_month_status.acquisition_month', 'account_month_status.month_start', 'month') }}
            as integer
        ) as months_since_acquisition,
        account_month_status.is_customer_at_start,
        account_month_status.is_customer_at_end,
        account_month_status.is_active_in_month,
        account_month_status.month_start = account_month_status.acquisition_month as is_new_customer,
        account_month_status.month_start > account_month_status.acquisition_month
        and not account_month_status.is_customer_at_start
        and account_month_status.is_active_in_month as is_reactivated_customer,
        account_month_status.is_customer_at_start and not account_month_status.is_customer_at_end as is_lost_customer,
        (first_lapses.first_lapse_month is null or account_month_status.month_start < first_lapses.first_lapse_month)
            as is_retained_since_acquisition,
        cast(account_month_status.mrr_at_start as decimal(18, 2)) as mrr_at_start,
        cast(account_month_status.mrr_at_end as decimal(18, 2)) as mrr_at_end,
        cast(account_month_status.contract_revenue as decimal(18, 2)) as contract_revenue,
        cast(account_month_status.contracts_missing_fx_rate as integer) as contracts_missing_fx_rate
    from account_month_status
    left join first_lapses
        on account_month_status.account_id = first_lapses.account_id
    left join accounts
        on account_month_status.account_id = accounts.account_id
)

select * from final
