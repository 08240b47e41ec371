-- The project's staging/KPI macros applied to tricky inputs; test_generic_tests.py checks
-- the outputs against hand-written expectations.
with

inputs as (
    select 'a "quoted" \ value' as raw_text, '  Closed__WON ' as stage_text, '2025-02-30' as date_text,
        '2025-03-31T23:30:00' as ts_text, ' usd ' as currency_text, 'Yes' as bool_text, 2 as num, 3 as den
    union all
    select null, 'needs-analysis', '2025-02-28', '31/03/2025 10:00', 'us', 'nope', 1, 0
)

select
    {{ raw_values_json(['raw_text', 'stage_text']) }} as raw_json,
    {{ normalise_code('stage_text') }} as stage_key,
    {{ parse_date('date_text') }} as parsed_date,
    {{ parse_timestamp('ts_text') }} as parsed_ts,
    {{ to_local_date(parse_timestamp('ts_text')) }} as local_date,
    {{ normalise_currency('currency_text') }} as currency_code,
    {{ parse_boolean('bool_text') }} as parsed_bool,
    {{ pct('num', 'den') }} as rate_pct
from inputs
