-- One row per raw row of crm.leads: typed, normalised, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__leads keeps the passing rows, rejected_rows the others.
{%- set raw_columns = [
    'lead_id', 'lead_source', 'status', 'owner_rep_id', 'company_name', 'created_at', 'mql_at',
    'sql_at', 'converted_at', 'converted_deal_id', 'converted_account_id', 'updated_at',
] %}
{%- set key = ['lead_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': '(created_at is null and created_at_text is not null) or (mql_at is null and mql_at_text is not null) or (sql_at is null and sql_at_text is not null) or (converted_at is null and converted_at_text is not null) or (updated_at is null and updated_at_text is not null)',
     'code': 'invalid_date', 'text': 'created_at, mql_at, sql_at, converted_at or updated_at is not a valid timestamp'},
    {'when': 'created_at_text is null', 'code': 'missing_value', 'text': 'created_at is empty'},
    {'when': is_before('mql_at', 'created_at') ~ ' or ' ~ is_before('sql_at', 'created_at') ~ ' or ' ~ is_before('converted_at', 'created_at'), 'code': 'impossible_date', 'text': 'a lifecycle timestamp is before created_at'},
    {'when': 'status_mapping.source_value is null', 'code': 'unmapped_lead_status', 'text': 'status has no row in seed map_lead_statuses'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('leads') }}
),

status_mapping as (
    select * from {{ mapping('map_lead_statuses') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('lead_id')]) }}

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
        {{ row_check_columns('typed', row_checks) }}
    from typed
    left join status_mapping
        on typed.status_normalised = status_mapping.source_value
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key, 'updated_at') }}

validated as (
    select
        flagged_rows.lead_id,
        flagged_rows.lead_source,
        flagged_rows.status_normalised,
        flagged_rows.owner_rep_id,
        flagged_rows.company_name,
        flagged_rows.created_at_text,
        flagged_rows.created_at,
        flagged_rows.mql_at_text,
        flagged_rows.mql_at,
        flagged_rows.sql_at_text,
        flagged_rows.sql_at,
        flagged_rows.converted_at_text,
        flagged_rows.converted_at,
        flagged_rows.converted_deal_id,
        flagged_rows.converted_account_id,
        flagged_rows.updated_at_text,
        flagged_rows.updated_at,
        flagged_rows.status,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
