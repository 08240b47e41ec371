-- One row per raw row of crm.acquisition_costs: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__acquisition_costs keeps the passing rows.
{%- set raw_columns = ['cost_id', 'cost_month', 'category', 'amount', 'currency_code'] %}
{%- set key = ['cost_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': 'cost_month is null', 'code': 'invalid_date', 'text': 'cost_month is not a valid date'},
    {'when': "category is null or category not in ('marketing', 'advertising', 'sales_salaries', 'other')", 'code': 'invalid_value', 'text': 'category must be marketing, advertising, sales_salaries or other'},
] + amount_checks('amount', 'amount_local', 'amount_text') + [
    {'when': 'amount_text is null', 'code': 'missing_amount', 'text': 'amount is empty'},
    {'when': 'currency_code is null', 'code': 'invalid_currency', 'text': 'currency_code is empty or not a 3-letter ISO code'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('acquisition_costs') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('cost_id')]) }}

typed as (
    select
        {{ clean_text('cost_id') }} as cost_id,
        {{ dbt.date_trunc('month', parse_date('cost_month')) }} as cost_month,
        lower({{ clean_text('category') }}) as category,
        {{ clean_text('amount') }} as amount_text,
        {{ try_cast(clean_text('amount'), 'decimal(18, 2)') }} as amount_local,
        {{ normalise_currency('currency_code') }} as currency_code,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.cost_id,
        typed.cost_month,
        typed.category,
        typed.amount_text,
        typed.amount_local,
        typed.currency_code,
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.cost_id,
        flagged_rows.cost_month,
        flagged_rows.category,
        flagged_rows.amount_text,
        flagged_rows.amount_local,
        flagged_rows.currency_code,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
