-- One row per raw row of crm.acquisition_costs: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__acquisition_costs keeps the passing rows.
{%- set raw_columns = ['cost_id', 'cost_month', 'category', 'amount', 'currency_code'] %}
{%- set checks = dedupe_checks(['cost_id'], 'typed') + [
    {'when': 'cost_month is null', 'code': 'invalid_date', 'text': 'cost_month is not a valid date'},
    {'when': "category is null or category not in ('marketing', 'advertising', 'sales_salaries', 'other')", 'code': 'invalid_value', 'text': 'category must be marketing, advertising, sales_salaries or other'},
    {'when': 'amount_local is null and amount_text is not null', 'code': 'invalid_number', 'text': 'amount is not a number'},
    {'when': 'amount_local < 0', 'code': 'negative_amount', 'text': 'amount is negative'},
    {'when': 'amount_local is null', 'code': 'missing_amount', 'text': 'amount is empty'},
    {'when': 'currency_code is null', 'code': 'invalid_currency', 'text': 'currency_code is empty or not a 3-letter ISO code'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('acquisition_costs') }}
),

{{ flag_duplicate_rows('source_rows', raw_columns, [clean_text('cost_id')]) }}

typed as (
    select
        {{ clean_text('cost_id') }} as cost_id,
        {{ dbt.date_trunc('month', parse_date('cost_month')) }} as cost_month,
        lower({{ clean_text('category') }}) as category,
        {{ clean_text('amount') }} as amount_text,
        {{ try_cast(clean_text('amount'), 'decimal(18, 2)') }} as amount_local,
        {{ normalise_currency('currency_code') }} as currency_code,
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

validated as (
    select
        typed.cost_id,
        typed.cost_month,
        typed.category,
        typed.amount_text,
        typed.amount_local,
        typed.currency_code,
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
