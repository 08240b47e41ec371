-- One row per raw row of crm.leads: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__leads keeps the passing rows, rejected_rows the others.
{%- set raw_columns = [
    'lead_id', 'lead_source', 'status', 'owner_rep_id', 'company_name', 'created_at', 'mql_at',
    'sql_at', 'converted_at', 'converted_deal_id', 'converted_account_id', 'updated_at',
] %}
{%- set key = ['lead_id'] %}
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='replace_slice' if target.type != 'spark' else none,
    incremental_slice='snapshot_slice',
    snapshot_table='leads',
    snapshot_key='lead_id',
    indexes=replace_key_indexes(['lead_id']),
    snapshot_columns=raw_columns,
    on_schema_change='fail',
) }}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__created_at_mql_at_sql_at', 'missing_value__created_at_empty',
    'impossible_date__lifecycle_timestamp_before', 'unmapped_lead_status__status_no_row_seed',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('leads') }}
),

-- the rows of the keys whose raw rows changed since the last run (all rows in a full build);
-- an unchanged key is not re-read (snapshot_slice)
batch_rows as {{ cte_materialization(is_incremental()) }} (
    {{ snapshot_batch_rows('source_rows', 'lead_id') }}
),

status_mapping as (
    select * from {{ mapping('map_lead_statuses') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('batch_rows', [clean_text('lead_id')]) }}
),

typed as (
    select
        {{ clean_text('lead_id') }} as lead_id,
        coalesce(lower({{ clean_text('lead_source') }}), {{ unknown_member() }}) as lead_source,
        {{ normalise_code('status') }} as status_normalised,
        {{ clean_text('owner_rep_id') }} as owner_rep_id,
        {{ clean_text('company_name') }} as company_name,
        {{ clean_text('created_at') }} as created_at_text,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ clean_text('mql_at') }} as mql_at_text,
        {{ parse_timestamp('mql_at') }} as mql_at,
        {{ clean_text('sql_at') }} as sql_at_text,
        {{ parse_timestamp('sql_at') }} as sql_at,
        {{ clean_text('converted_at') }} as converted_at_text,
        {{ parse_timestamp('converted_at') }} as converted_at,
        {{ clean_text('converted_deal_id') }} as converted_deal_id,
        {{ clean_text('converted_account_id') }} as converted_account_id,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.lead_id,
        typed.lead_source,
        typed.status_normalised,
        typed.owner_rep_id,
        typed.company_name,
        typed.created_at_text,
        typed.created_at,
        typed.mql_at_text,
        typed.mql_at,
        typed.sql_at_text,
        typed.sql_at,
        typed.converted_at_text,
        typed.converted_at,
        typed.converted_deal_id,
        typed.converted_account_id,
        typed.updated_at_text,
        typed.updated_at,
        status_mapping.canonical_status as status,
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when (typed.created_at is null and typed.created_at_text is not null)
                or (typed.mql_at is null and typed.mql_at_text is not null)
                or (typed.sql_at is null and typed.sql_at_text is not null)
                or (typed.converted_at is null and typed.converted_at_text is not null)
                or (typed.updated_at is null and typed.updated_at_text is not null)
                then 'created_at, mql_at, sql_at, converted_at or updated_at is not a valid timestamp'
        end as invalid_date__created_at_mql_at_sql_at,
        case when typed.created_at_text is null then 'created_at is empty' end as missing_value__created_at_empty,
        case
            when {{ is_before('mql_at', 'created_at') }}
                or {{ is_before('sql_at', 'created_at') }}
                or {{ is_before('converted_at', 'created_at') }}
                then 'a lifecycle timestamp is before created_at'
        end as impossible_date__lifecycle_timestamp_before,
        case
            when status_mapping.source_value is null
                then 'status has no row in seed map_lead_statuses'
        end as unmapped_lead_status__status_no_row_seed
    from typed
    left join status_mapping
        on typed.status_normalised = status_mapping.source_value
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (duplicate_flag).
deduplicated as (
    {{ deduplicate('checked', key, 'updated_at', row_checks) }}
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
        key_checked.lead_id,
        key_checked.lead_source,
        key_checked.owner_rep_id,
        key_checked.company_name,
        key_checked.created_at,
        key_checked.mql_at,
        key_checked.sql_at,
        key_checked.converted_at,
        key_checked.converted_deal_id,
        key_checked.converted_account_id,
        key_checked.updated_at,
        key_checked.status,
        key_checked.row_fingerprint,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
