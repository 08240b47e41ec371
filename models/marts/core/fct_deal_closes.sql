-- One row per deal closed (won or lost) by var('as_of_date'): the deal-close fact at its finest
-- grain, with a foreign key to each conformed dimension. The measures, the owner rep, the
-- owner's team on the close date and the product are int_deal_closes' (the one place a close is
-- counted); the close date, account and deal type are the deal's (int_deals_enriched). An
-- account that is empty or names no staged account is the `(unknown)` account (dq_findings lists
-- the deal), a deal that did not come from a lead has lead source `no_lead`, so every key joins
-- its dimension. Read through the semantic model `deal_closes` (MetricFlow) at any grain.

with

deal_closes as (
    select * from {{ ref('int_deal_closes') }}
),

deals as (
    select * from {{ ref('int_deals_enriched') }}
),

accounts as (
    select * from {{ ref('dim_account') }}
),

final as (
    select
        deal_closes.deal_id,
        deals.closed_date as close_date,
        deal_closes.rep_id,
        deal_closes.team_id,
        coalesce(accounts.account_id, {{ unknown_member() }}) as account_id,
        deal_closes.product_id,
        coalesce(deal_closes.lead_source, 'no_lead') as lead_source,
        deals.deal_type,
        deal_closes.deals_won = 1 as is_won,
        deal_closes.deals_lost = 1 as is_lost,
        deal_closes.deals_missing_fx_rate = 1 as is_missing_fx_rate,
        deal_closes.won_revenue,
        deal_closes.closed_revenue,
        deal_closes.month_start as close_month
    from deal_closes
    inner join deals
        on deal_closes.deal_id = deals.deal_id
    left join accounts
        on deals.account_id = accounts.account_id
)

select * from final
