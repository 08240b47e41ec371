-- One row per raw row of crm.teams: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__teams keeps the passing rows, rejected_rows the others.
{%- set raw_columns = ['team_id', 'team_name', 'team_type', 'region', 'manager_rep_id'] %}
{%- set key = ['team_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': "team_type not in ('field_sales', 'inside_sales')", 'code': 'invalid_value', 'text': 'team_type must be field_sales or inside_sales (or empty: var default_team_type)'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('teams') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('team_id')]) }}

typed as (
    select
        {{ clean_text('team_id') }} as team_id,
        coalesce({{ clean_text('team_name') }}, {{ clean_text('team_id') }}) as team_name,
        coalesce(lower({{ clean_text('team_type') }}), {{ sql_string_literal(var('default_team_type')) }}) as team_type,
        coalesce({{ clean_text('region') }}, {{ unknown_member() }}) as region,
        {{ clean_text('manager_rep_id') }} as manager_rep_id,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.team_id,
        typed.team_name,
        typed.team_type,
        typed.region,
        typed.manager_rep_id,
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.team_id,
        flagged_rows.team_name,
        flagged_rows.team_type,
        flagged_rows.region,
        flagged_rows.manager_rep_id,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
