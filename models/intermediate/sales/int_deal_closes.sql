-- One row per deal closed (won or lost) by var('as_of_date'): the deal-close measures of the
-- team-performance and growth families, computed once. The deal counts in its close month in
-- the reporting time zone, for its owner and the owner's team on the close date, under its main
-- product, in the reporting currency (int_deals_enriched). fct_kpi_team_performance_monthly sums
-- these per scope and month, fct_kpi_team_performance_products_monthly per scope, product and
-- month, and int_growth_measures_monthly (won deals and revenue, cross-sell / upsell revenue) per
-- rep, team, lead source and month.

with

deals as (
    select * from {{ ref('int_deals_enriched') }}
),

final as (
    select
        deal_id,
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        owner_team_id as team_id,
        owner_team_name as team_name,
        product_id,
        product_name,
        product_family,
        closed_month as month_start,
        case when is_won then 1 else 0 end as deals_won,
        case when is_lost then 1 else 0 end as deals_lost,
        case when is_won then amount else 0 end as won_revenue,
        coalesce(amount, 0) as closed_revenue,
        case when has_fx_rate then 0 else 1 end as deals_missing_fx_rate,
        case when is_won then sales_cycle_days else 0 end as won_sales_cycle_days,
        case when is_won and is_first_account_win then 1 else 0 end as new_accounts_won,
        case when is_won and has_content_usage then 1 else 0 end as deals_won_with_content,
        case when has_content_usage then 1 else 0 end as deals_closed_with_content,
        lead_source,
        case when is_won and deal_type = 'cross_sell' then amount else 0 end as won_cross_sell_revenue,
        case when is_won and deal_type = 'upsell' then amount else 0 end as won_upsell_revenue
    from deals
    where is_closed
)

select * from final
