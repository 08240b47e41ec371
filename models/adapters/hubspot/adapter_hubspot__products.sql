-- The contract's products from HubSpot's product library (input_mode hubspot): one row per live
-- product (not is_deleted, not _fivetran_deleted), every column as text. The family is the
-- product property named by var hubspot_product_family_property (default hs_product_type:
-- inventory, non_inventory, service, the one standard grouping HubSpot has; name your own
-- product-line property instead). A portal that does not sync products gets no product: every
-- deal then counts under the (unknown) product.
{%- set family_column = hubspot_property_var('hubspot_product_family_property') %}

with

products as (
    {{ hubspot_table('product', [
        ['product_id', ['product_id', 'id'], 'text'],
        ['product_name', 'property_name', 'text'],
        ['product_family', family_column, 'text'],
    ]) | indent(4) }}
),

final as (
    select
        product_id,
        product_name,
        product_family
    from products
    where not hubspot_is_deleted
)

select * from final
