-- One row per period (month, fiscal quarter, fiscal year) per account with at least one call
-- logged against it: calls, connected calls and calls that carried a value-added message
-- (付加価値メッセージのある通話数) — the per-account view of value-added calls; per rep, team
-- and company they are in kpi_team_performance, per segment and region in kpi_customer.

with

activities as (
    select * from {{ ref('int_activities_enriched') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

account_calls as (
    select
        account_id,
        activity_month as month_start,
        1 as calls_made,
        case when outcome = 'connected' then 1 else 0 end as connected_calls,
        case when is_value_added then 1 else 0 end as value_added_calls
    from activities
    where activity_class = 'call'
        and account_id is not null
),

period_measures as (
    select
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        account_calls.account_id,
        sum(account_calls.calls_made) as calls_made,
        sum(account_calls.connected_calls) as connected_calls,
        sum(account_calls.value_added_calls) as value_added_calls
    from account_calls
    inner join period_months
        on account_calls.month_start = period_months.month_start
    group by
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        account_calls.account_id
),

final as (
    select
        cast(period_measures.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_measures.period_start as date) as period_start,
        cast(period_measures.period_end as date) as period_end,
        cast(period_measures.period_label as {{ dbt.type_string() }}) as period_label,
        period_measures.period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as is_complete_period,
        cast(period_measures.account_id as {{ dbt.type_string() }}) as account_id,
        cast(accounts.account_name as {{ dbt.type_string() }}) as account_name,
        cast(accounts.segment as {{ dbt.type_string() }}) as segment,
        cast(accounts.region as {{ dbt.type_string() }}) as region,
        cast(period_measures.calls_made as bigint) as calls_made,
        cast(period_measures.connected_calls as bigint) as connected_calls,
        cast(period_measures.value_added_calls as bigint) as value_added_calls,
        {{ pct('period_measures.value_added_calls', 'period_measures.calls_made') }} as value_added_call_share_pct
    from period_measures
    left join accounts
        on period_measures.account_id = accounts.account_id
)

select * from final
