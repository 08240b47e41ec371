-- One row per raw row of crm.products: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__products keeps the passing rows, rejected_rows the others.
-- An empty product_name is the product_id; an empty product_family is (unknown).
{%- set raw_columns = ['product_id', 'product_name', 'product_family'] %}
{%- set key = ['product_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('products') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('product_id')]) }}

typed as (
    select
        {{ clean_text('product_id') }} as product_id,
        coalesce({{ clean_text('product_name') }}, {{ clean_text('product_id') }}) as product_name,
        coalesce({{ clean_text('product_family') }}, {{ unknown_member() }}) as product_family,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.product_id,
        typed.product_name,
        typed.product_family,
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.product_id,
        flagged_rows.product_name,
        flagged_rows.product_family,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
