-- One row per raw row of crm.revenue_goals: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__revenue_goals keeps the passing rows.
{%- set raw_columns = ['goal_id', 'goal_month', 'team_id', 'goal_amount', 'currency_code'] %}
{%- set checks = dedupe_checks(['goal_id'], 'typed') + [
    {'when': 'goal_month is null', 'code': 'invalid_date', 'text': 'goal_month is not a valid date'},
    {'when': 'goal_amount_local is null and goal_amount_text is not null', 'code': 'invalid_number', 'text': 'goal_amount is not a number'},
    {'when': 'goal_amount_local < 0', 'code': 'negative_amount', 'text': 'goal_amount is negative'},
    {'when': 'goal_amount_local is null', 'code': 'missing_amount', 'text': 'goal_amount is empty'},
    {'when': 'currency_code is null', 'code': 'invalid_currency', 'text': 'currency_code is empty or not a 3-letter ISO code'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('revenue_goals') }}
),

{{ flag_duplicate_rows('source_rows', raw_columns, [clean_text('goal_id')]) }}

typed as (
    select
        {{ clean_text('goal_id') }} as goal_id,
        {{ dbt.date_trunc('month', parse_date('goal_month')) }} as goal_month,
        {{ clean_text('team_id') }} as team_id,
        {{ clean_text('goal_amount') }} as goal_amount_text,
        {{ try_cast(clean_text('goal_amount'), 'decimal(18, 2)') }} as goal_amount_local,
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
        typed.goal_id,
        typed.goal_month,
        typed.team_id,
        typed.goal_amount_text,
        typed.goal_amount_local,
        typed.currency_code,
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
