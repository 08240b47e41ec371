-- One row per raw row of crm.rep_team_history: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__rep_team_history keeps the passing rows.
{%- set raw_columns = ['rep_id', 'team_id', 'valid_from', 'valid_to'] %}
{%- set checks = dedupe_checks(['rep_id', 'valid_from_text'], 'typed') + [
    {'when': '(valid_from is null and valid_from_text is not null) or (valid_to is null and valid_to_text is not null)',
     'code': 'invalid_date', 'text': 'valid_from or valid_to is not a valid date'},
    {'when': 'valid_to < valid_from', 'code': 'impossible_date', 'text': 'valid_to is before valid_from'},
    {'when': 'typed.team_id is null', 'code': 'missing_value', 'text': 'team_id is empty'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('rep_team_history') }}
),

{{ flag_duplicate_rows('source_rows', raw_columns, [clean_text('rep_id'), clean_text('valid_from')]) }}

typed as (
    select
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('team_id') }} as team_id,
        {{ clean_text('valid_from') }} as valid_from_text,
        {{ parse_date('valid_from') }} as valid_from,
        {{ clean_text('valid_to') }} as valid_to_text,
        {{ parse_date('valid_to') }} as valid_to,
        row_fingerprint,
        is_exact_copy,
        is_superseded_version,
        is_duplicate_key,
        {{ raw_values_json(raw_columns) }} as raw_values
    from flagged_rows
),

validated as (
    select
        typed.rep_id,
        typed.team_id,
        typed.valid_from_text,
        typed.valid_from,
        typed.valid_to_text,
        typed.valid_to,
        {{ base_audit_columns('typed', checks) }},
        {{ first_failed_check(checks, 'code') }} as reason_code,
        {{ all_failed_checks(checks, 'text') }} as reason_text,
        {{ all_failed_checks(checks, 'code') }} as reason_codes
    from typed
)

select * from validated
