-- One row per raw row of crm.rep_team_history: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__rep_team_history keeps the passing rows.
{%- set raw_columns = ['rep_id', 'team_id', 'valid_from', 'valid_to'] %}
{%- set key = ['rep_id', 'valid_from_text'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': '(valid_from is null and valid_from_text is not null) or (valid_to is null and valid_to_text is not null)',
     'code': 'invalid_date', 'text': 'valid_from or valid_to is not a valid date'},
    {'when': 'valid_to < valid_from', 'code': 'impossible_date', 'text': 'valid_to is before valid_from'},
    {'when': 'typed.team_id is null', 'code': 'missing_value', 'text': 'team_id is empty'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('rep_team_history') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('rep_id'), clean_text('valid_from')]) }}

typed as (
    select
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('team_id') }} as team_id,
        {{ clean_text('valid_from') }} as valid_from_text,
        {{ parse_date('valid_from') }} as valid_from,
        {{ clean_text('valid_to') }} as valid_to_text,
        {{ parse_date('valid_to') }} as valid_to,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.rep_id,
        typed.team_id,
        typed.valid_from_text,
        typed.valid_from,
        typed.valid_to_text,
        typed.valid_to,
        {{ row_check_columns('typed', row_checks) }}
    from typed
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.rep_id,
        flagged_rows.team_id,
        flagged_rows.valid_from_text,
        flagged_rows.valid_from,
        flagged_rows.valid_to_text,
        flagged_rows.valid_to,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
