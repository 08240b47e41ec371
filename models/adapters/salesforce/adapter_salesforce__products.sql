-- The contract's products from the Salesforce Product2 object (input_mode salesforce): one row
-- per live product (not is_deleted, not _fivetran_deleted, the current _fivetran_active
-- version), every column as text. An org that does not sync product_2 gets no product: every
-- deal then counts under the (unknown) product.
{%- set product_columns = salesforce_columns('product_2', required=false) %}

with

products as (
    select * from {{ salesforce_optional_source('product_2', product_columns) }}
),

final as (
    select
        {{ salesforce_text(product_columns, 'id') }} as product_id,
        {{ salesforce_text(product_columns, 'name') }} as product_name,
        {{ salesforce_text(product_columns, 'family') }} as product_family
    from products
    where {{ salesforce_is_live(product_columns) }}
)

select * from final
