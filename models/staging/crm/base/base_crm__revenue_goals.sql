-- One row per raw row of crm.revenue_goals: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__revenue_goals keeps the passing rows.
{%- set raw_columns = ['goal_id', 'goal_month', 'team_id', 'goal_amount', 'currency_code'] %}
{%- set key = ['goal_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': 'goal_month is null', 'code': 'invalid_date', 'text': 'goal_month is not a valid date'},
] + amount_checks('goal_amount', 'goal_amount_local', 'goal_amount_text') + [
    {'when': 'goal_amount_text is null', 'code': 'missing_amount', 'text': 'goal_amount is empty'},
    {'when': 'currency_code is null', 'code': 'invalid_currency', 'text': 'currency_code is empty or not a 3-letter ISO code'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('revenue_goals') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('goal_id')]) }}

typed as (
    select
        {{ clean_text('goal_id') }} as goal_id,
        {{ dbt.date_trunc('month', parse_date('goal_month')) }} as goal_month,
        {{ clean_text('team_id') }} as team_id,
        {{ clean_text('goal_amount') }} as goal_amount_text,
        {{ try_cast(clean_text('goal_amount'), 'decimal(18, 2)') }} as goal_amount_local,
        {{ normalise_currency('currency_code') }} as currency_code,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.goal_id,
        typed.goal_month,
        typed.team_id,
        typed.goal_amount_text,
        typed.goal_amount_local,
        typed.currency_code,
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.goal_id,
        flagged_rows.goal_month,
        flagged_rows.team_id,
        flagged_rows.goal_amount_text,
        flagged_rows.goal_amount_local,
        flagged_rows.currency_code,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
