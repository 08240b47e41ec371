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
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='replace_slice' if target.type != 'spark' else none,
    incremental_slice='snapshot_slice',
    snapshot_table='deals',
    snapshot_key='deal_id',
    indexes=replace_key_indexes(['deal_id']),
    snapshot_columns=raw_columns,
    on_schema_change='fail',
) }}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__created_at_closed_at', 'missing_value__created_at_empty',
    'impossible_date__closed_at_before_created_at', 'invalid_number__amount_not_number',
    'out_of_range__amount_too_large_warehouse', 'excess_precision__amount_more_than_2_decimal',
    'negative_amount__amount_negative', 'missing_amount__won_lost_deal_no_amount',
    'invalid_currency__currency_code_not_3_letter_iso', 'missing_value__stage_empty',
    'unmapped_stage__stage_no_row_seed', 'unmapped_deal_type__deal_type_no_row_seed',
    'impossible_date__open_stage_closed_at', 'missing_value__won_lost_stage_no_closed_at',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('deals') }}
),

-- the rows of the keys whose raw rows changed since the last run (all rows in a full build);
-- an unchanged key is not re-read (snapshot_slice)
batch_rows as {{ cte_materialization(is_incremental()) }} (
    {{ snapshot_batch_rows('source_rows', 'deal_id') }}
),

stage_mapping as (
    select * from {{ mapping('map_deal_stages') }}
),

type_mapping as (
    select * from {{ mapping('map_deal_types') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('batch_rows', [clean_text('deal_id')]) }}
),

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
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when (typed.created_at is null and typed.created_at_text is not null)
                or (typed.closed_at is null and typed.closed_at_text is not null)
                or (typed.expected_close_date is null and typed.expected_close_date_text is not null)
                or (typed.updated_at is null and typed.updated_at_text is not null)
                then 'created_at, closed_at, expected_close_date or updated_at is not a valid date/timestamp'
        end as invalid_date__created_at_closed_at,
        case when typed.created_at_text is null then 'created_at is empty' end as missing_value__created_at_empty,
        case
            when {{ is_before('closed_at', 'created_at') }}
                then 'closed_at is before created_at'
        end as impossible_date__closed_at_before_created_at,
        case
            when typed.amount_text is not null
                and not {{ matches_pattern('amount_text', number_shape()) }}
                then 'amount is not a number'
        end as invalid_number__amount_not_number,
        case
            when typed.amount_text is not null
                and {{ matches_pattern('amount_text', number_shape()) }}
                and (typed.amount_local is null or abs(typed.amount_local) >= 10000000000000)
                then 'amount is too large for the warehouse (10000000000000 or more in absolute value)'
        end as out_of_range__amount_too_large_warehouse,
        case
            when typed.amount_local <> {{ try_cast('amount_text', 'decimal(38, 18)') }}
                then 'amount has more than 2 decimal places; the warehouse stores 2 and does not round'
        end as excess_precision__amount_more_than_2_decimal,
        case when typed.amount_local < 0 then 'amount is negative' end as negative_amount__amount_negative,
        case
            when typed.amount_text is null and stage_mapping.stage_category in ('won', 'lost')
                then 'a won or lost deal has no amount'
        end as missing_amount__won_lost_deal_no_amount,
        case
            when typed.currency_code_text is not null and typed.currency_code is null
                then 'currency_code is not a 3-letter ISO code'
        end as invalid_currency__currency_code_not_3_letter_iso,
        case when typed.stage_normalised is null then 'stage is empty' end as missing_value__stage_empty,
        case
            when typed.stage_normalised is not null and stage_mapping.source_value is null
                then 'stage has no row in seed map_deal_stages'
        end as unmapped_stage__stage_no_row_seed,
        case
            when typed.deal_type_normalised is not null and type_mapping.source_value is null
                then 'deal_type has no row in seed map_deal_types'
        end as unmapped_deal_type__deal_type_no_row_seed,
        case
            when stage_mapping.stage_category = 'open' and typed.closed_at_text is not null
                then 'an open stage has a closed_at'
        end as impossible_date__open_stage_closed_at,
        case
            when stage_mapping.stage_category <> 'open' and typed.closed_at_text is null
                then 'a won or lost stage has no closed_at'
        end as missing_value__won_lost_stage_no_closed_at
    from typed
    left join stage_mapping
        on typed.stage_normalised = stage_mapping.source_value
    left join type_mapping
        on typed.deal_type_normalised = type_mapping.source_value
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
        key_checked.deal_id,
        key_checked.deal_name,
        key_checked.account_id,
        key_checked.owner_rep_id,
        key_checked.lead_id,
        key_checked.amount_local,
        key_checked.currency_code,
        key_checked.created_at,
        key_checked.closed_at,
        key_checked.expected_close_date,
        key_checked.lost_reason,
        key_checked.updated_at,
        key_checked.product_id,
        key_checked.stage,
        key_checked.stage_order,
        key_checked.stage_category,
        key_checked.is_qualified,
        key_checked.deal_type,
        key_checked.row_fingerprint,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
