-- One row per product (stg_crm__products) plus the `(unknown)` product that a deal counts under
-- when its product is empty or names no staged product (int_deals_enriched): the conformed
-- product dimension, the `product` entity of the semantic layer.

with

products as (
    select * from {{ ref('stg_crm__products') }}
),

unknown_product as (
    select
        {{ unknown_member() }} as product_id,
        {{ unknown_member() }} as product_name,
        {{ unknown_member() }} as product_family
),

final as (
    select
        product_id,
        product_name,
        product_family
    from products
    union all
    select
        product_id,
        product_name,
        product_family
    from unknown_product
)

select * from final
