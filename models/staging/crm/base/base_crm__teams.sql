-- One row per raw row of crm.teams: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__teams keeps the passing rows, rejected_rows the others.
{%- set raw_columns = ['team_id', 'team_name', 'team_type', 'region', 'manager_rep_id'] %}
{%- set key = ['team_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_value__team_type_field_sales',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('teams') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('team_id')]) }}
),

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
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when typed.team_type not in ('field_sales', 'inside_sales')
                then 'team_type must be field_sales or inside_sales (or empty: var default_team_type)'
        end as invalid_value__team_type_field_sales
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
        key_checked.team_id,
        key_checked.team_name,
        key_checked.team_type,
        key_checked.region,
        key_checked.manager_rep_id,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
