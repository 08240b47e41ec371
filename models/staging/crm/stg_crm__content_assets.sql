-- One row per sales content asset. The rows of crm.content_assets that passed validation in base_crm__content_assets;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__content_assets') }}
),

staged as (
    select
        asset_id,
        asset_name,
        asset_type,
        published_at
    from validated_rows
    where reason_code is null
)

select * from staged
