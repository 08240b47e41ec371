-- One row per raw row of crm.activities: typed, normalised, and the reason it cannot be
-- staged (NULL = it is staged). stg_crm__activities keeps the passing rows.
{{ config(
    materialized=event_base_materialization(),
    unique_key='batch_key',
    incremental_strategy='delete+insert' if target.type != 'spark' else none,
    on_schema_change='fail',
) }}
{%- set raw_columns = [
    'activity_id', 'activity_type', 'rep_id', 'account_id', 'deal_id', 'lead_id', 'started_at',
    'duration_minutes', 'outcome', 'is_value_added',
] %}
{%- set key = ['activity_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': 'started_at is null and started_at_text is not null', 'code': 'invalid_date', 'text': 'started_at is not a valid timestamp'},
    {'when': 'started_at_text is null', 'code': 'missing_value', 'text': 'started_at is empty'},
] + integer_checks('duration_minutes', 'duration_minutes', 'duration_minutes_text') + [
    {'when': 'duration_minutes < 0', 'code': 'negative_amount', 'text': 'duration_minutes is negative'},
    {'when': "outcome is not null and outcome not in ('connected', 'no_answer', 'voicemail', 'held', 'no_show', 'cancelled', 'scheduled', 'sent', 'completed')",
     'code': 'invalid_value', 'text': 'outcome is not one of the documented outcomes'},
    {'when': 'keyed.is_value_added_invalid', 'code': 'invalid_value', 'text': 'is_value_added is not a boolean (true/false, 1/0, yes/no, y/n, t/f)'},
    {'when': 'type_mapping.source_value is null', 'code': 'unmapped_activity_type', 'text': 'activity_type has no row in seed map_activity_types'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('activities') }}
),

type_mapping as (
    select * from {{ mapping('map_activity_types') }}
),

{{ incremental_event_batch('activity_id', 'started_at') }}

{{ mark_repeated_keys('batch_rows', [clean_text('activity_id')]) }}

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
        {{ row_check_columns('keyed', row_checks) }}
    from keyed
    left join type_mapping
        on keyed.activity_type_normalised = type_mapping.source_value
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key) }}

validated as (
    select
        flagged_rows.activity_id,
        flagged_rows.activity_type_normalised,
        flagged_rows.rep_id,
        flagged_rows.account_id,
        flagged_rows.deal_id,
        flagged_rows.lead_id,
        flagged_rows.started_at_text,
        flagged_rows.started_at,
        flagged_rows.duration_minutes_text,
        flagged_rows.duration_minutes,
        flagged_rows.outcome,
        flagged_rows.is_value_added,
        flagged_rows.batch_key,
        flagged_rows.activity_class,
        flagged_rows.is_selling,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
