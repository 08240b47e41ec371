-- One row per rep per month employed (within the reporting window): the rep's team that
-- month and the quotas they held. A rep who changes team mid-month is counted for the team
-- they were in on the first day of the month (or, when hired mid-month, the team they joined).
-- Revenue quotas are converted to the reporting currency at the quota month's rate; a quota
-- in a currency with no rate that month stays NULL and is flagged.

with

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

assignments as (
    select * from {{ ref('int_rep_team_assignments') }}
),

quotas as (
    select * from {{ ref('stg_crm__quotas') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_to_reporting') }}
),

rep_months as (
    select
        scope_months.scope_id as rep_id,
        scope_months.scope_name as rep_name,
        scope_months.month_start,
        calendar_months.month_end
    from scope_months
    inner join calendar_months
        on scope_months.month_start = calendar_months.month_start
    where scope_months.scope = 'rep'
),

month_teams as (
    select
        rep_months.rep_id,
        rep_months.month_start,
        assignments.team_id,
        assignments.team_name,
        row_number() over (
            partition by rep_months.rep_id, rep_months.month_start
            order by
                case when assignments.valid_from <= rep_months.month_start then 0 else 1 end,
                case when assignments.valid_from <= rep_months.month_start then assignments.valid_from end desc,
                assignments.valid_from
        ) as team_preference
    from rep_months
    inner join assignments
        on rep_months.rep_id = assignments.rep_id
        and rep_months.month_end >= assignments.valid_from
        and rep_months.month_start <= assignments.valid_to
),

quotas_converted as (
    select
        quotas.rep_id,
        quotas.quota_month as month_start,
        quotas.quota_type,
        case
            when quotas.quota_type = 'revenue' then quotas.quota_value * fx_rates.rate_to_reporting
            else quotas.quota_value
        end as quota_value,
        quotas.quota_type = 'revenue' and fx_rates.rate_to_reporting is null as is_missing_fx_rate
    from quotas
    left join fx_rates
        on quotas.quota_month = fx_rates.rate_month
        and quotas.currency_code = fx_rates.currency_code
),

quotas_by_month as (
    select
        rep_id,
        month_start,
        sum(case when quota_type = 'revenue' then quota_value end) as revenue_quota,
        sum(case when quota_type = 'deals_won' then quota_value end) as deals_won_quota,
        sum(case when quota_type = 'new_accounts' then quota_value end) as new_accounts_quota,
        max(case when is_missing_fx_rate then 1 else 0 end) = 1 as has_quota_missing_fx_rate
    from quotas_converted
    group by rep_id, month_start
),

final as (
    select
        rep_months.rep_id,
        rep_months.rep_name,
        rep_months.month_start,
        coalesce(month_teams.team_id, {{ unknown_member() }}) as team_id,
        coalesce(month_teams.team_name, {{ unknown_member() }}) as team_name,
        cast(quotas_by_month.revenue_quota as decimal(18, 2)) as revenue_quota,
        cast(quotas_by_month.deals_won_quota as decimal(18, 2)) as deals_won_quota,
        cast(quotas_by_month.new_accounts_quota as decimal(18, 2)) as new_accounts_quota,
        quotas_by_month.rep_id is not null as has_quota,
        coalesce(quotas_by_month.has_quota_missing_fx_rate, false) as has_quota_missing_fx_rate
    from rep_months
    left join month_teams
        on rep_months.rep_id = month_teams.rep_id
        and rep_months.month_start = month_teams.month_start
        and month_teams.team_preference = 1
    left join quotas_by_month
        on rep_months.rep_id = quotas_by_month.rep_id
        and rep_months.month_start = quotas_by_month.month_start
)

select * from final
