-- One row per use of a content asset. The rows of crm.content_usage that passed validation in base_crm__content_usage;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__content_usage') }}
),

staged as (
    select
        usage_id,
        asset_id,
        rep_id,
        deal_id,
        used_at
    from validated_rows
    where reason_code is null
)

select * from staged
