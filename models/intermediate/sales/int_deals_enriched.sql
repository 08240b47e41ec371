-- One row per deal created on or before var('as_of_date'): its status as of that date, dates
-- in the reporting time zone, the amount in the reporting currency (monthly rate of the close
-- month; of the as-of month while open), the owner's team on the close date (on the as-of
-- date while open), when it first became a qualified opportunity, whether sales content was
-- used on it before it closed, whether it is its account's first win, and its main product
-- (the (unknown) product when empty or not in products). A deal closed after
-- the as-of date is still open as of it; only a deal's final state counts (a deal reopened
-- after a win and then lost is lost).

with

deals as (
    select * from {{ ref('stg_crm__deals') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_to_reporting') }}
),

assignments as {{ cte_materialization(false) }} (
    select * from {{ ref('int_rep_team_assignments') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

stage_history as (
    select * from {{ ref('stg_crm__deal_stage_history') }}
),

content_usage as (
    select * from {{ ref('stg_crm__content_usage') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

products as (
    select * from {{ ref('stg_crm__products') }}
),

first_qualified as (
    select
        deal_id,
        min(entered_at) as qualified_at
    from stage_history
    where is_qualified
    group by deal_id
),

content_used as (
    select
        deal_id,
        min(used_at) as first_content_used_at
    from content_usage
    where deal_id is not null
    group by deal_id
),

as_of as (
    select {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as as_of_date
),

deals_local as (
    select
        deals.*,
        {{ to_local_date('deals.created_at') }} as created_date,
        {{ to_local_date('deals.closed_at') }} as closed_date_local,
        {{ to_local_date('coalesce(first_qualified.qualified_at, case when deals.is_qualified then deals.created_at end)') }}
            as qualified_date_local,
        {{ to_local_date('content_used.first_content_used_at') }} as first_content_date_local,
        as_of.as_of_date
    from deals
    cross join as_of
    left join first_qualified
        on deals.deal_id = first_qualified.deal_id
    left join content_used
        on deals.deal_id = content_used.deal_id
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
        end as status_as_of,
        case
            when deals_local.qualified_date_local <= deals_local.as_of_date then deals_local.qualified_date_local
        end as qualified_date,
        deals_local.first_content_date_local <= coalesce(deals_local.closed_date_local, deals_local.as_of_date)
        and deals_local.first_content_date_local <= deals_local.as_of_date as has_content_usage
    from deals_local
    where deals_local.created_date <= deals_local.as_of_date
),

won_deal_ranks as (
    select
        deal_id,
        row_number() over (partition by account_id order by closed_at, deal_id) as account_win_number
    from deals_as_of
    where status_as_of = 'won' and account_id is not null
),

deals_dated as (
    select
        deals_as_of.*,
        won_deal_ranks.account_win_number,
        coalesce(deals_as_of.closed_date, deals_as_of.as_of_date) as team_as_of_date,
        cast({{ dbt.date_trunc('month', 'coalesce(deals_as_of.closed_date, deals_as_of.as_of_date)') }} as date) as fx_month
    from deals_as_of
    left join won_deal_ranks
        on deals_as_of.deal_id = won_deal_ranks.deal_id
),

final as (
    select
        deals_dated.deal_id,
        deals_dated.deal_name,
        deals_dated.account_id,
        deals_dated.lead_id,
        case when reps.rep_id is null then {{ unknown_member() }} else deals_dated.owner_rep_id end as owner_rep_id,
        coalesce(reps.rep_name, {{ unknown_member() }}) as owner_rep_name,
        coalesce(assignments.team_id, {{ unknown_member() }}) as owner_team_id,
        coalesce(assignments.team_name, {{ unknown_member() }}) as owner_team_name,
        coalesce(created_assignments.team_id, {{ unknown_member() }}) as created_team_id,
        coalesce(created_assignments.team_name, {{ unknown_member() }}) as created_team_name,
        leads.lead_source,
        deals_dated.deal_type,
        case when products.product_id is null then {{ unknown_member() }} else deals_dated.product_id end as product_id,
        coalesce(products.product_name, {{ unknown_member() }}) as product_name,
        coalesce(products.product_family, {{ unknown_member() }}) as product_family,
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
        deals_dated.qualified_date,
        cast({{ dbt.date_trunc('month', 'deals_dated.qualified_date') }} as date) as qualified_month,
        coalesce(deals_dated.has_content_usage, false) as has_content_usage,
        coalesce(deals_dated.account_win_number = 1, false) as is_first_account_win,
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
    left join assignments as created_assignments
        on deals_dated.owner_rep_id = created_assignments.rep_id
        and deals_dated.created_date between created_assignments.valid_from and created_assignments.valid_to
    left join leads
        on deals_dated.lead_id = leads.lead_id
    left join reps
        on deals_dated.owner_rep_id = reps.rep_id
    left join products
        on deals_dated.product_id = products.product_id
)

select * from final
