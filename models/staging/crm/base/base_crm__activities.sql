-- One row per raw row of crm.activities: typed, normalised, and the reason it cannot be
-- staged (NULL = it is staged). stg_crm__activities keeps the passing rows.
{{ config(
    materialized=incremental_materialization(),
    unique_key='batch_key',
    indexes=replace_key_indexes(['batch_key']),
    incremental_strategy='delete+insert' if target.type != 'spark' else none,
    on_schema_change='fail',
) }}
{%- set raw_columns = [
    'activity_id', 'activity_type', 'rep_id', 'account_id', 'deal_id', 'lead_id', 'started_at',
    'duration_minutes', 'outcome', 'is_value_added',
] %}
{%- set key = ['activity_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__started_at_not_valid_timestamp', 'missing_value__started_at_empty',
    'invalid_number__duration_minutes_not_whole', 'out_of_range__duration_minutes_too_large',
    'negative_amount__duration_minutes_negative', 'invalid_value__outcome_not_documented',
    'invalid_value__is_value_added_not_boolean',
    'unmapped_activity_type__activity_type_no_row_seed',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('activities') }}
),

type_mapping as (
    select * from {{ mapping('map_activity_types') }}
),

batch_rows as {{ cte_materialization(is_incremental()) }} (
    {{ event_batch_rows('source_rows', 'activity_id', 'started_at') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('batch_rows', [clean_text('activity_id')]) }}
),

typed as (
    select
        {{ clean_text('activity_id') }} as activity_id,
        {{ normalise_code('activity_type') }} as activity_type_normalised,
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('deal_id') }} as deal_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('started_at') }} as started_at_text,
        {{ parse_timestamp('started_at') }} as started_at,
        {{ clean_text('duration_minutes') }} as duration_minutes_text,
        {{ try_cast(clean_text('duration_minutes'), 'integer') }} as duration_minutes,
        lower({{ clean_text('outcome') }}) as outcome,
        {{ parse_boolean('is_value_added') }} as is_value_added,
        {{ clean_text('is_value_added') }} is not null and {{ parse_boolean('is_value_added') }} is null
            as is_value_added_invalid,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

keyed as (
    select
        typed.*,
        coalesce(typed.activity_id, {{ dbt.concat(["'#'", 'typed.row_fingerprint']) }}) as batch_key
    from typed
),

checked as {{ cte_materialization(false) }} (
    select
        keyed.activity_id,
        keyed.activity_type_normalised,
        keyed.rep_id,
        keyed.account_id,
        keyed.deal_id,
        keyed.lead_id,
        keyed.started_at_text,
        keyed.started_at,
        keyed.duration_minutes_text,
        keyed.duration_minutes,
        keyed.outcome,
        coalesce(keyed.is_value_added, false) as is_value_added,
        keyed.batch_key,
        type_mapping.activity_class,
        type_mapping.is_selling,
        keyed.row_fingerprint,
        keyed.raw_values,
        keyed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when keyed.started_at is null and keyed.started_at_text is not null
                then 'started_at is not a valid timestamp'
        end as invalid_date__started_at_not_valid_timestamp,
        case when keyed.started_at_text is null then 'started_at is empty' end as missing_value__started_at_empty,
        case
            when keyed.duration_minutes_text is not null
                and not {{ matches_pattern('duration_minutes_text', integer_shape()) }}
                then 'duration_minutes is not a whole number'
        end as invalid_number__duration_minutes_not_whole,
        case
            when keyed.duration_minutes_text is not null
                and {{ matches_pattern('duration_minutes_text', integer_shape()) }}
                and keyed.duration_minutes is null
                then 'duration_minutes is too large for a whole number (2,147,483,647 at most)'
        end as out_of_range__duration_minutes_too_large,
        case when keyed.duration_minutes < 0 then 'duration_minutes is negative' end as negative_amount__duration_minutes_negative,
        case
            when keyed.outcome is not null
                and keyed.outcome not in (
                    'connected', 'no_answer', 'voicemail', 'held', 'no_show', 'cancelled', 'scheduled', 'sent', 'completed'
                )
                then 'outcome is not one of the documented outcomes'
        end as invalid_value__outcome_not_documented,
        case
            when keyed.is_value_added_invalid
                then 'is_value_added is not a boolean (true/false, 1/0, yes/no, y/n, t/f)'
        end as invalid_value__is_value_added_not_boolean,
        case
            when type_mapping.source_value is null
                then 'activity_type has no row in seed map_activity_types'
        end as unmapped_activity_type__activity_type_no_row_seed
    from keyed
    left join type_mapping
        on keyed.activity_type_normalised = type_mapping.source_value
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
        key_checked.activity_id,
        key_checked.rep_id,
        key_checked.account_id,
        key_checked.deal_id,
        key_checked.lead_id,
        key_checked.started_at,
        key_checked.duration_minutes,
        key_checked.outcome,
        key_checked.is_value_added,
        key_checked.batch_key,
        key_checked.activity_class,
        key_checked.is_selling,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
