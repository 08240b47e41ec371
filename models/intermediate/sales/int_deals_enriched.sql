-- One row per deal created on or before var('as_of_date'): its status as of that date, dates
-- in the reporting time zone, the amount in the reporting currency (monthly rate of the close
-- month; of the as-of month while open) and the owner's team on the close date (on the as-of
-- date while open). A deal closed after the as-of date is still open as of it.

with

deals as (
    select * from {{ ref('stg_crm__deals') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_to_reporting') }}
),

assignments as (
    select * from {{ ref('int_rep_team_assignments') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

as_of as (
    select {{ dbt.cast(dbt.string_literal(var('as_of_date')), 'date') }} as as_of_date
),

deals_local as (
    select
        deals.*,
        {{ to_local_date('deals.created_at') }} as created_date,
        {{ to_local_date('deals.closed_at') }} as closed_date_local,
        as_of.as_of_date
    from deals
    cross join as_of
),

deals_as_of as (
    select
        deals_local.*,
        case
            when deals_local.closed_date_local <= deals_local.as_of_date then deals_local.closed_date_local
        end as closed_date,
        case
            when deals_local.closed_date_local <= deals_local.as_of_date then deals_local.stage_category
            else 'open'
        end as status_as_of
    from deals_local
    where deals_local.created_date <= deals_local.as_of_date
),

deals_dated as (
    select
        deals_as_of.*,
        coalesce(deals_as_of.closed_date, deals_as_of.as_of_date) as team_as_of_date,
        cast({{ dbt.date_trunc('month', 'coalesce(deals_as_of.closed_date, deals_as_of.as_of_date)') }} as date) as fx_month
    from deals_as_of
),

final as (
    select
        deals_dated.deal_id,
        deals_dated.deal_name,
        deals_dated.account_id,
        deals_dated.lead_id,
        deals_dated.owner_rep_id,
        reps.rep_name as owner_rep_name,
        coalesce(assignments.team_id, 'unassigned') as owner_team_id,
        coalesce(assignments.team_name, 'Unassigned') as owner_team_name,
        deals_dated.deal_type,
        deals_dated.stage,
        deals_dated.stage_order,
        deals_dated.status_as_of,
        deals_dated.status_as_of = 'won' as is_won,
        deals_dated.status_as_of = 'lost' as is_lost,
        deals_dated.status_as_of in ('won', 'lost') as is_closed,
        deals_dated.created_at,
        deals_dated.closed_at,
        deals_dated.created_date,
        deals_dated.closed_date,
        cast({{ dbt.date_trunc('month', 'deals_dated.created_date') }} as date) as created_month,
        cast({{ dbt.date_trunc('month', 'deals_dated.closed_date') }} as date) as closed_month,
        cast(
            {{ dbt.datediff('deals_dated.created_date', 'deals_dated.closed_date', 'day') }} as integer  -- noqa: LT05
        ) as sales_cycle_days,
        deals_dated.currency_code,
        deals_dated.amount_local,
        deals_dated.fx_month,
        fx_rates.rate_to_reporting,
        cast(deals_dated.amount_local * fx_rates.rate_to_reporting as decimal(18, 2)) as amount,
        fx_rates.rate_to_reporting is not null as has_fx_rate
    from deals_dated
    left join fx_rates
        on deals_dated.fx_month = fx_rates.rate_month
        and deals_dated.currency_code = fx_rates.currency_code
    left join assignments
        on deals_dated.owner_rep_id = assignments.rep_id
        and deals_dated.team_as_of_date between assignments.valid_from and assignments.valid_to
    left join reps
        on deals_dated.owner_rep_id = reps.rep_id
)

select * from final
