-- One row per period (month, fiscal quarter, fiscal year) per content asset published by the
-- period's end: how often it was used, by how many reps, on how many deals, and whether it
-- went unused — the per-asset view of content usage (コンテンツの使用状況). Summing
-- unused_assets over a period's rows gives the number of assets unused in it.

with

assets as (
    select * from {{ ref('stg_crm__content_assets') }}
),

content_usage as {{ cte_materialization(false) }} (
    select * from {{ ref('int_content_usage_enriched') }}
),

period_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_period_months') }}
),

reporting_periods as (
    select distinct
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label
    from period_months
    where period_months.period_start <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
        and period_months.period_end >= (select min(content_usage.used_month) from content_usage)
),

asset_periods as (
    select
        reporting_periods.period_grain,
        reporting_periods.period_start,
        reporting_periods.period_end,
        reporting_periods.period_label,
        assets.asset_id,
        assets.asset_name,
        assets.asset_type
    from reporting_periods
    inner join assets
        on coalesce({{ to_local_date('assets.published_at') }}, reporting_periods.period_start) <= reporting_periods.period_end
),

uses_in_period as (
    select
        period_months.period_grain,
        period_months.period_start,
        content_usage.asset_id,
        count(*) as content_uses,
        count(distinct content_usage.rep_id) as reps_using,
        count(distinct content_usage.deal_id) as deals_with_use
    from content_usage
    inner join period_months
        on content_usage.used_month = period_months.month_start
    group by period_months.period_grain, period_months.period_start, content_usage.asset_id
),

final as (
    select
        cast(asset_periods.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(asset_periods.period_start as date) as period_start,
        cast(asset_periods.period_end as date) as period_end,
        cast(asset_periods.period_label as {{ dbt.type_string() }}) as period_label,
        asset_periods.period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as is_complete_period,
        cast(asset_periods.asset_id as {{ dbt.type_string() }}) as asset_id,
        cast(asset_periods.asset_name as {{ dbt.type_string() }}) as asset_name,
        cast(asset_periods.asset_type as {{ dbt.type_string() }}) as asset_type,
        cast(coalesce(uses_in_period.content_uses, 0) as bigint) as content_uses,
        cast(coalesce(uses_in_period.reps_using, 0) as bigint) as reps_using,
        cast(coalesce(uses_in_period.deals_with_use, 0) as bigint) as deals_with_use,
        cast(case when uses_in_period.asset_id is null then 1 else 0 end as bigint) as unused_assets
    from asset_periods
    left join uses_in_period
        on asset_periods.period_grain = uses_in_period.period_grain
        and asset_periods.period_start = uses_in_period.period_start
        and asset_periods.asset_id = uses_in_period.asset_id
)

select * from final
