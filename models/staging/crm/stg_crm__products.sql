-- One row per product. The rows of crm.products that passed validation in base_crm__products;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__products') }}
),

staged as (
    select
        product_id,
        product_name,
        product_family
    from validated_rows
    where reason_code is null
)

select * from staged
