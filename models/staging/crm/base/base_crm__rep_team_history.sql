-- One row per raw row of crm.rep_team_history: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__rep_team_history keeps the passing rows.
{%- set raw_columns = ['rep_id', 'team_id', 'valid_from', 'valid_to'] %}
{%- set key = ['rep_id', 'valid_from_text'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__valid_from_valid_to_not_valid', 'impossible_date__valid_to_before_valid_from',
    'missing_value__team_id_empty',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('rep_team_history') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('rep_id'), clean_text('valid_from')]) }}
),

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
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when (typed.valid_from is null and typed.valid_from_text is not null)
                or (typed.valid_to is null and typed.valid_to_text is not null)
                then 'valid_from or valid_to is not a valid date'
        end as invalid_date__valid_from_valid_to_not_valid,
        case when typed.valid_to < typed.valid_from then 'valid_to is before valid_from' end as impossible_date__valid_to_before_valid_from,
        case when typed.team_id is null then 'team_id is empty' end as missing_value__team_id_empty
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
        key_checked.rep_id,
        key_checked.team_id,
        key_checked.valid_from_text,
        key_checked.valid_from,
        key_checked.valid_to,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
