-- One row per raw row of crm.products: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__products keeps the passing rows, rejected_rows the others.
-- An empty product_name is the product_id; an empty product_family is (unknown).
{%- set raw_columns = ['product_id', 'product_name', 'product_family'] %}
{%- set key = ['product_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('products') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('product_id')]) }}
),

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
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (duplicate_flag).
deduplicated as (
    {{ deduplicate('checked', key, none, row_checks) }}
),

-- the key checks: the reason text when the row fails the check, else NULL
key_checked as (
    select
        deduplicated.*,
        {{ key_check_columns('deduplicated', key) }}
    from deduplicated
),

validated as (
    select
        key_checked.product_id,
        key_checked.product_name,
        key_checked.product_family,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
