-- One row per raw row of crm.service_requests: typed, and the reason it cannot be staged
-- (NULL = it is staged). stg_crm__service_requests keeps the passing rows.
{%- set raw_columns = ['request_id', 'account_id', 'rep_id', 'channel', 'opened_at', 'resolved_at', 'contact_count'] %}
{%- set key = ['request_id'] %}
{#- The checks, in order: each is a check column below, named <reason code>__<what>; the
    first one a row fails is its reason_code. Row checks (`checked`) come before the
    de-duplication, key checks (`key_checked`) after it. -#}
{%- set row_checks = [
    'invalid_date__opened_at_resolved_at_not', 'missing_value__opened_at_empty',
    'impossible_date__resolved_at_before_opened_at',
    'invalid_number__contact_count_not_whole_number', 'out_of_range__contact_count_too_large_whole',
    'negative_amount__contact_count_negative',
] %}
{%- set checks = key_check_names() + row_checks %}

with

source_rows as {{ cte_materialization(false) }} (
    select * from {{ crm_source('service_requests') }}
),

-- is_repeated_key: the row's key occurs more than once; only those rows are sorted by the
-- de-duplication (one narrow aggregate on the key instead of a sort of every full-width row)
marked_rows as (
    {{ mark_repeated_keys('source_rows', [clean_text('request_id')]) }}
),

typed as (
    select
        {{ clean_text('request_id') }} as request_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('rep_id') }} as rep_id,
        lower({{ clean_text('channel') }}) as channel,
        {{ clean_text('opened_at') }} as opened_at_text,
        {{ parse_timestamp('opened_at') }} as opened_at,
        {{ clean_text('resolved_at') }} as resolved_at_text,
        {{ parse_timestamp('resolved_at') }} as resolved_at,
        {{ clean_text('contact_count') }} as contact_count_text,
        {{ try_cast(clean_text('contact_count'), 'integer') }} as contact_count,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint,
        {{ raw_values_json(raw_columns) }} as raw_values,
        is_repeated_key
    from marked_rows
),

checked as {{ cte_materialization(false) }} (
    select
        typed.request_id,
        typed.account_id,
        typed.rep_id,
        typed.channel,
        typed.opened_at_text,
        typed.opened_at,
        typed.resolved_at_text,
        typed.resolved_at,
        typed.contact_count_text,
        typed.contact_count,
        typed.row_fingerprint,
        typed.raw_values,
        typed.is_repeated_key,
        -- the row checks: the reason text when the row fails the check, else NULL
        case
            when (typed.opened_at is null and typed.opened_at_text is not null)
                or (typed.resolved_at is null and typed.resolved_at_text is not null)
                then 'opened_at or resolved_at is not a valid timestamp'
        end as invalid_date__opened_at_resolved_at_not,
        case when typed.opened_at_text is null then 'opened_at is empty' end as missing_value__opened_at_empty,
        case
            when {{ is_before('resolved_at', 'opened_at') }}
                then 'resolved_at is before opened_at'
        end as impossible_date__resolved_at_before_opened_at,
        case
            when typed.contact_count_text is not null
                and not {{ matches_pattern('contact_count_text', integer_shape()) }}
                then 'contact_count is not a whole number'
        end as invalid_number__contact_count_not_whole_number,
        case
            when typed.contact_count_text is not null
                and {{ matches_pattern('contact_count_text', integer_shape()) }}
                and typed.contact_count is null
                then 'contact_count is too large for a whole number (2,147,483,647 at most)'
        end as out_of_range__contact_count_too_large_whole,
        case when typed.contact_count < 0 then 'contact_count is negative' end as negative_amount__contact_count_negative
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
        key_checked.request_id,
        key_checked.account_id,
        key_checked.rep_id,
        key_checked.channel,
        key_checked.opened_at,
        key_checked.resolved_at,
        key_checked.contact_count,
        {{ rejection_columns(checks, 'key_checked') }}
    from key_checked
)

select * from validated
