-- One row per raw row of crm.teams: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__teams keeps the passing rows, rejected_rows the others.
{%- set raw_columns = ['team_id', 'team_name', 'team_type', 'region', 'manager_rep_id'] %}
{%- set checks = dedupe_checks(['team_id'], 'typed') + [
    {'when': "team_type not in ('field_sales', 'inside_sales')", 'code': 'invalid_value', 'text': 'team_type must be field_sales or inside_sales (or empty: var default_team_type)'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('teams') }}
),

{{ flag_duplicate_rows('source_rows', raw_columns, [clean_text('team_id')]) }}

typed as (
    select
        {{ clean_text('team_id') }} as team_id,
        coalesce({{ clean_text('team_name') }}, {{ clean_text('team_id') }}) as team_name,
        coalesce(lower({{ clean_text('team_type') }}), {{ sql_string_literal(var('default_team_type')) }}) as team_type,
        coalesce({{ clean_text('region') }}, {{ unknown_member() }}) as region,
        {{ clean_text('manager_rep_id') }} as manager_rep_id,
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

validated as (
    select
        typed.team_id,
        typed.team_name,
        typed.team_type,
        typed.region,
        typed.manager_rep_id,
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
