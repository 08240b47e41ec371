-- One row per month per content asset:
-- the month rows of kpi_content_assets with their keys and additive parts only, the table
-- the semantic layer's `content_assets` semantic model reads.
-- MetricFlow sums measures over rows, so it must see a single period grain; fiscal quarters and
-- years come from the time spine's custom granularities, re-aggregated from these months.

with

kpi_content_assets as (
    select * from {{ ref('kpi_content_assets') }}
),

final as (
    select
        period_start,
        asset_id,
        asset_name,
        asset_type,
        content_uses
    from kpi_content_assets
    where period_grain = 'month'
)

select * from final
