-- parse_timestamp, is_before and failed_checks on the time formats of real exports
-- (reporting_timezone Asia/Tokyo, source_timezone UTC); test_generic_tests.py checks each
-- row against a hand-computed UTC instant and local date.
with

inputs as (
    select 1 as case_id, '2025-04-01 09:00:00+09:00' as ts, '2025-04-01 10:00:00' as created_at, '2025-04-01' as closed_at
    union all select 2, '2025-04-01T09:00:00Z', '2026-05-01 15:00:00', '2026-04-30'
    union all select 3, '2025-04-01 09:00+0530', '2026-05-01 15:00', '2026-05-01 14:00'
    union all select 4, '2025-03-31 20:00:00-05', '2026-05-01', '2026-05-01 00:00:00'
    union all select 5, '2025-03-31', null, '2026-05-01'
    union all select 6, '2025-03-31 23:30:00', '2026-05-01', '2026-05-02'
    union all select 7, '2025-03-31 23:30:00+25:00', null, null
),

parsed as (
    select
        case_id,
        ts,
        {{ parse_timestamp('ts') }} as utc_ts,
        created_at as created_at_text,
        {{ parse_timestamp('created_at') }} as created_at,
        closed_at as closed_at_text,
        {{ parse_timestamp('closed_at') }} as closed_at
    from inputs
),

checked as (
    select
        case_id,
        utc_ts,
        created_at_text,
        created_at,
        closed_at_text,
        closed_at,
        case when utc_ts is null then 'ts is not a valid timestamp' end as invalid_date__ts,
        case when created_at is null then 'created_at is empty' end as missing_value__created_at,
        case when closed_at is null then 'closed_at is empty' end as missing_value__closed_at,
        case
            when {{ is_before('closed_at', 'created_at') }} then 'closed_at is before created_at'
        end as impossible_date__closed_before_created
    from parsed
)

select
    case_id,
    utc_ts,
    {{ to_local_date('utc_ts') }} as local_date,
    {{ is_before('closed_at', 'created_at') }} as closed_before_created,
    {{ failed_checks([
        'invalid_date__ts',
        'missing_value__created_at',
        'missing_value__closed_at',
        'impossible_date__closed_before_created',
    ], 'code') }} as reason_codes
from checked
