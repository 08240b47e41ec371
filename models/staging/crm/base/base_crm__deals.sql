-- One row per raw row of crm.deals: typed, normalised, and every reason it cannot be staged
-- (NULL = it is staged). stg_crm__deals keeps the passing rows, rejected_rows the others.
-- The table is judged by itself: an empty or unknown owner_rep_id, account_id or lead_id is
-- staged and resolved in the intermediate layer (the (unknown) member, dq_findings); so is an
-- empty or unknown product_id (the (unknown) product). An open
-- deal may have no amount; an empty currency_code or deal_type takes its default var.
{%- set raw_columns = [
    'deal_id', 'deal_name', 'account_id', 'owner_rep_id', 'lead_id', 'deal_type', 'stage',
    'amount', 'currency_code', 'created_at', 'closed_at', 'expected_close_date', 'lost_reason',
    'updated_at', 'product_id',
] %}
{%- set default_currency = var('default_currency', none) or var('reporting_currency') %}
{%- set key = ['deal_id'] %}
{%- set key_checks = dedupe_checks(key, 'flagged_rows') %}
{%- set row_checks = [
    {'when': '(created_at is null and created_at_text is not null) or (closed_at is null and closed_at_text is not null) or (expected_close_date is null and expected_close_date_text is not null) or (updated_at is null and updated_at_text is not null)',
     'code': 'invalid_date', 'text': 'created_at, closed_at, expected_close_date or updated_at is not a valid date/timestamp'},
    {'when': 'created_at_text is null', 'code': 'missing_value', 'text': 'created_at is empty'},
    {'when': is_before('closed_at', 'created_at'), 'code': 'impossible_date', 'text': 'closed_at is before created_at'},
] + amount_checks('amount', 'amount_local', 'amount_text') + [
    {'when': "amount_text is null and stage_mapping.stage_category in ('won', 'lost')", 'code': 'missing_amount', 'text': 'a won or lost deal has no amount'},
    {'when': 'currency_code_text is not null and typed.currency_code is null', 'code': 'invalid_currency', 'text': 'currency_code is not a 3-letter ISO code'},
    {'when': 'typed.stage_normalised is null', 'code': 'missing_value', 'text': 'stage is empty'},
    {'when': 'typed.stage_normalised is not null and stage_mapping.source_value is null', 'code': 'unmapped_stage', 'text': 'stage has no row in seed map_deal_stages'},
    {'when': 'typed.deal_type_normalised is not null and type_mapping.source_value is null', 'code': 'unmapped_deal_type', 'text': 'deal_type has no row in seed map_deal_types'},
    {'when': 'stage_mapping.stage_category = \'open\' and closed_at_text is not null', 'code': 'impossible_date', 'text': 'an open stage has a closed_at'},
    {'when': 'stage_mapping.stage_category <> \'open\' and closed_at_text is null', 'code': 'missing_value', 'text': 'a won or lost stage has no closed_at'},
] %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('deals') }}
),

stage_mapping as (
    select * from {{ mapping('map_deal_stages') }}
),

type_mapping as (
    select * from {{ mapping('map_deal_types') }}
),

{{ mark_repeated_keys('source_rows', [clean_text('deal_id')]) }}

typed as (
    select
        {{ clean_text('deal_id') }} as deal_id,
        {{ clean_text('deal_name') }} as deal_name,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('owner_rep_id') }} as owner_rep_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ normalise_code('deal_type') }} as deal_type_normalised,
        {{ normalise_code('stage') }} as stage_normalised,
        {{ clean_text('amount') }} as amount_text,
        {{ try_cast(clean_text('amount'), 'decimal(18, 2)') }} as amount_local,
        {{ clean_text('currency_code') }} as currency_code_text,
        {{ normalise_currency('currency_code') }} as currency_code,
        {{ clean_text('created_at') }} as created_at_text,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ clean_text('closed_at') }} as closed_at_text,
        {{ parse_timestamp('closed_at') }} as closed_at,
        {{ clean_text('expected_close_date') }} as expected_close_date_text,
        {{ parse_date('expected_close_date') }} as expected_close_date,
        {{ clean_text('lost_reason') }} as lost_reason,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ clean_text('product_id') }} as product_id,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.deal_id,
        typed.deal_name,
        typed.account_id,
        typed.owner_rep_id,
        typed.lead_id,
        typed.deal_type_normalised,
        typed.stage_normalised,
        typed.amount_text,
        typed.amount_local,
        coalesce(
            typed.currency_code,
            case when typed.currency_code_text is null then {{ sql_string_literal(default_currency) }} end
        ) as currency_code,
        typed.currency_code_text,
        typed.created_at_text,
        typed.created_at,
        typed.closed_at_text,
        typed.closed_at,
        typed.expected_close_date_text,
        typed.expected_close_date,
        typed.lost_reason,
        typed.updated_at_text,
        typed.updated_at,
        typed.product_id,
        stage_mapping.canonical_stage as stage,
        stage_mapping.stage_order,
        stage_mapping.stage_category,
        stage_mapping.is_qualified,
        case
            when typed.deal_type_normalised is null then {{ sql_string_literal(var('default_deal_type')) }}
            else type_mapping.deal_type
        end as deal_type,
        {{ row_check_columns('typed', row_checks) }}
    from typed
    left join stage_mapping
        on typed.stage_normalised = stage_mapping.source_value
    left join type_mapping
        on typed.deal_type_normalised = type_mapping.source_value
),

-- Validation comes before de-duplication: a row that fails a check never wins a duplicate or
-- version contest (dedupe_columns).
{{ flag_duplicate_rows('checked', key, 'updated_at') }}

validated as (
    select
        flagged_rows.deal_id,
        flagged_rows.deal_name,
        flagged_rows.account_id,
        flagged_rows.owner_rep_id,
        flagged_rows.lead_id,
        flagged_rows.deal_type_normalised,
        flagged_rows.stage_normalised,
        flagged_rows.amount_text,
        flagged_rows.amount_local,
        flagged_rows.currency_code,
        flagged_rows.currency_code_text,
        flagged_rows.created_at_text,
        flagged_rows.created_at,
        flagged_rows.closed_at_text,
        flagged_rows.closed_at,
        flagged_rows.expected_close_date_text,
        flagged_rows.expected_close_date,
        flagged_rows.lost_reason,
        flagged_rows.updated_at_text,
        flagged_rows.updated_at,
        flagged_rows.product_id,
        flagged_rows.stage,
        flagged_rows.stage_order,
        flagged_rows.stage_category,
        flagged_rows.is_qualified,
        flagged_rows.deal_type,
        {{ base_audit_columns('flagged_rows', key_checks) }}
    from flagged_rows
)

select * from validated
