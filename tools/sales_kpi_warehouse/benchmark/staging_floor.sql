-- The benchmark's staging floor: what the project's staging does (models/staging/crm/base,
-- stg_crm__*, rejected_rows), written by hand as one DuckDB script. For every raw table of the
-- export it types the columns, runs the same checks in the same order (the first failing one is
-- the row's reason_code), de-duplicates the same way and writes two tables: staged_<table> (the
-- typed rows stg_crm__<table> holds) and rejected_<table> (every other raw row: its key, its
-- reason_code and its raw values as JSON, like rejected_rows).
--
-- It reads views raw_<table> (every column as text, the export's own values) and
-- raw_map_<seed> (the mapping seeds, text) and the variables reporting_timezone,
-- reporting_currency, default_currency, default_deal_type, default_rep_role and
-- default_team_type, which staging_floor.py creates (python -m
-- sales_kpi_warehouse.benchmark.staging_floor).
--
-- The rules, as staging applies them (docs/input_contract.md):
--   * text is trimmed, empty is NULL; vocabulary values are normalised (lower case, '_' and '-'
--     as spaces) before they are looked up in a mapping seed;
--   * numbers, dates and timestamps must have the plain shape of their type before they are
--     cast; a timestamp with an offset is converted to UTC, a date alone is the start of that day
--     in the reporting time zone;
--   * a row whose key is empty is rejected (missing_key) before anything else; a row that fails
--     a check is rejected with that check's reason; among the rows of a key that pass every
--     check, the newest updated_at (where the table has one), then the smallest fingerprint of
--     the raw values is staged and the others are exact_duplicate (same raw values as the row
--     before), superseded_version (an older updated_at) or duplicate_key.

-- ---- helpers -------------------------------------------------------------------------------

create or replace temp macro clean(value) as nullif(trim(value), '');

create or replace temp macro code_key(value) as nullif(
    trim(replace(replace(replace(replace(replace(lower(value), '_', ' '), '-', ' '), '    ', ' '), '  ', ' '), '  ', ' ')),
    ''
);

create or replace temp macro currency(value) as
    case when regexp_full_match(clean(value), '[A-Za-z]{3}') then upper(clean(value)) end;

create or replace temp macro is_integer_text(text) as regexp_full_match(text, '[+-]?[0-9]+');

create or replace temp macro is_number_text(text) as
    regexp_full_match(text, '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?');

create or replace temp macro as_integer(text) as
    case when is_integer_text(text) then try_cast(text as integer) end;

create or replace temp macro as_money(text) as
    case when is_number_text(text) then try_cast(text as decimal(18, 2)) end;

-- the exact value, to tell whether the 2-decimal money value dropped digits
create or replace temp macro as_exact(text) as
    case when is_number_text(text) then try_cast(text as decimal(38, 18)) end;

create or replace temp macro as_date(text) as
    case when regexp_full_match(text, '[0-9]{4}-[0-9]{2}-[0-9]{2}') then try_cast(text as date) end;

create or replace temp macro as_month(text) as cast(date_trunc('month', as_date(text)) as date);

create or replace temp macro as_boolean(value) as
    case
        when lower(trim(value)) in ('true', '1', 'yes', 'y', 't') then true
        when lower(trim(value)) in ('false', '0', 'no', 'n', 'f') then false
    end;

-- `YYYY-MM-DD[ HH:MM[:SS[.f]]]` as a timestamp, NULL when it is not one
create or replace temp macro plain_timestamp(text) as
    case
        when regexp_full_match(
            text, '[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?)?'
        ) then try_cast(text as timestamp)
    end;

-- the length of a timestamp text's offset: `Z`, `+09:00`, `+0900` or `+09`
create or replace temp macro offset_length(text) as
    case
        when right(text, 1) = 'Z' then 1
        when substring(text, length(text) - 5, 1) in ('+', '-') then 6
        when substring(text, length(text) - 4, 1) in ('+', '-') then 5
        else 3
    end;

create or replace temp macro offset_minutes(suffix) as
    case
        when suffix = 'Z' then 0
        else (case when substring(suffix, 1, 1) = '-' then -1 else 1 end) * (
            cast(substring(suffix, 2, 2) as integer) * 60
            + case
                when length(suffix) = 6 then cast(substring(suffix, 5, 2) as integer)
                when length(suffix) = 5 then cast(substring(suffix, 4, 2) as integer)
                else 0
            end
        )
    end;

create or replace temp macro utc_from_offset(text) as
    plain_timestamp(substring(text, 1, length(text) - offset_length(text)))
    - to_minutes(offset_minutes(right(text, offset_length(text))));

-- a timestamp text (`T` read as a space) as UTC: offsets win, a bare date is the start of that
-- day in the reporting time zone, anything else is UTC wall-clock time
create or replace temp macro utc_timestamp(text) as
    case
        when length(text) = 10
            then (plain_timestamp(text) at time zone getvariable('reporting_timezone')) at time zone 'UTC'
        when length(text) > 16 and regexp_full_match(
            text,
            '[0-9]{4}-[0-9]{2}-[0-9]{2} ([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)'
        ) then utc_from_offset(text)
        else plain_timestamp(text)
    end;

create or replace temp macro as_timestamp(value) as utc_timestamp(replace(clean(value), 'T', ' '));

-- `earlier` strictly before `later`; at day precision when either was written as a bare date
create or replace temp macro is_before(earlier, earlier_text, later, later_text) as
    case
        when length(earlier_text) = 10 or length(later_text) = 10
            then as_date(substring(earlier_text, 1, 10)) < as_date(substring(later_text, 1, 10))
        else earlier < later
    end;

-- ---- mapping seeds -------------------------------------------------------------------------

create or replace temp table map_deal_stages as
select
    source_value,
    canonical_stage,
    cast(stage_order as integer) as stage_order,
    stage_category,
    cast(is_qualified as boolean) as is_qualified
from raw_map_deal_stages;

create or replace temp table map_deal_types as
select source_value, deal_type from raw_map_deal_types;

create or replace temp table map_lead_statuses as
select source_value, canonical_status from raw_map_lead_statuses;

create or replace temp table map_activity_types as
select source_value, activity_class, cast(is_selling as boolean) as is_selling
from raw_map_activity_types;

-- ---- teams ---------------------------------------------------------------------------------

create or replace temp table judged_teams as
with typed as (
    select
        clean(team_id) as team_id,
        coalesce(clean(team_name), clean(team_id)) as team_name,
        coalesce(lower(clean(team_type)), getvariable('default_team_type')) as team_type,
        coalesce(clean(region), '(unknown)') as region,
        clean(manager_rep_id) as manager_rep_id,
        md5(concat_ws('|', coalesce(team_id, '<null>'), coalesce(team_name, '<null>'),
            coalesce(team_type, '<null>'), coalesce(region, '<null>'),
            coalesce(manager_rep_id, '<null>'))) as row_fingerprint,
        raw_teams as raw
    from raw_teams
),
checked as (
    select
        *,
        case
            when team_id is null then 'missing_key'
            when team_type not in ('field_sales', 'inside_sales') then 'invalid_value'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by team_id order by row_reason is not null, row_fingerprint);

create or replace table staged_teams as
select team_id, team_name, team_type, region, manager_rep_id
from judged_teams where reason_code is null;

create or replace table rejected_teams as
select team_id as record_key, reason_code, to_json(raw) as raw_values
from judged_teams where reason_code is not null;

drop table judged_teams;

-- ---- reps ----------------------------------------------------------------------------------

create or replace temp table judged_reps as
with typed as (
    select
        clean(rep_id) as rep_id,
        coalesce(clean(rep_name), clean(rep_id)) as rep_name,
        lower(clean(email)) as email,
        coalesce(lower(clean(role)), getvariable('default_rep_role')) as role,
        clean(hire_date) as hire_date_text,
        as_date(clean(hire_date)) as hire_date,
        clean(termination_date) as termination_date_text,
        as_date(clean(termination_date)) as termination_date,
        clean(updated_at) as updated_at_text,
        as_timestamp(updated_at) as updated_at,
        md5(concat_ws('|', coalesce(rep_id, '<null>'), coalesce(rep_name, '<null>'),
            coalesce(email, '<null>'), coalesce(role, '<null>'), coalesce(hire_date, '<null>'),
            coalesce(termination_date, '<null>'), coalesce(updated_at, '<null>'))) as row_fingerprint,
        raw_reps as raw
    from raw_reps
),
checked as (
    select
        *,
        case
            when rep_id is null then 'missing_key'
            when (hire_date is null and hire_date_text is not null)
                or (termination_date is null and termination_date_text is not null)
                or (updated_at is null and updated_at_text is not null) then 'invalid_date'
            when termination_date < hire_date then 'impossible_date'
            when role not in ('account_executive', 'sdr', 'manager') then 'invalid_value'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when first_value(updated_at) over keyed is not null
            and (updated_at is null or updated_at < first_value(updated_at) over keyed)
            then 'superseded_version'
        when lag(row_fingerprint) over keyed <> row_fingerprint
            and (lag(updated_at) over keyed = updated_at
                or (lag(updated_at) over keyed is null and updated_at is null))
            then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (
    partition by rep_id order by row_reason is not null, updated_at desc nulls last, row_fingerprint
);

create or replace table staged_reps as
select rep_id, rep_name, email, role, hire_date, termination_date, updated_at
from judged_reps where reason_code is null;

create or replace table rejected_reps as
select rep_id as record_key, reason_code, to_json(raw) as raw_values
from judged_reps where reason_code is not null;

drop table judged_reps;

-- ---- rep_team_history (key: rep_id and valid_from as written) -------------------------------

create or replace temp table judged_rep_team_history as
with typed as (
    select
        clean(rep_id) as rep_id,
        clean(team_id) as team_id,
        clean(valid_from) as valid_from_text,
        as_date(clean(valid_from)) as valid_from,
        clean(valid_to) as valid_to_text,
        as_date(clean(valid_to)) as valid_to,
        md5(concat_ws('|', coalesce(rep_id, '<null>'), coalesce(team_id, '<null>'),
            coalesce(valid_from, '<null>'), coalesce(valid_to, '<null>'))) as row_fingerprint,
        raw_rep_team_history as raw
    from raw_rep_team_history
),
checked as (
    select
        *,
        case
            when rep_id is null or valid_from_text is null then 'missing_key'
            when (valid_from is null and valid_from_text is not null)
                or (valid_to is null and valid_to_text is not null) then 'invalid_date'
            when valid_to < valid_from then 'impossible_date'
            when team_id is null then 'missing_value'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (
    partition by rep_id, valid_from_text order by row_reason is not null, row_fingerprint
);

create or replace table staged_rep_team_history as
select rep_id, team_id, valid_from, valid_to
from judged_rep_team_history where reason_code is null;

create or replace table rejected_rep_team_history as
select
    coalesce(rep_id, '') || ' / ' || coalesce(valid_from_text, '') as record_key,
    reason_code,
    to_json(raw) as raw_values
from judged_rep_team_history where reason_code is not null;

drop table judged_rep_team_history;

-- ---- accounts ------------------------------------------------------------------------------

create or replace temp table judged_accounts as
with typed as (
    select
        clean(account_id) as account_id,
        clean(account_name) as account_name,
        lower(clean(segment)) as segment_text,
        clean(employee_count) as employee_count_text,
        as_integer(clean(employee_count)) as employee_count,
        coalesce(lower(clean(region)), '(unknown)') as region,
        coalesce(lower(clean(industry)), '(unknown)') as industry,
        clean(owner_rep_id) as owner_rep_id,
        clean(created_at) as created_at_text,
        as_timestamp(created_at) as created_at,
        clean(updated_at) as updated_at_text,
        as_timestamp(updated_at) as updated_at,
        md5(concat_ws('|', coalesce(account_id, '<null>'), coalesce(account_name, '<null>'),
            coalesce(segment, '<null>'), coalesce(region, '<null>'), coalesce(industry, '<null>'),
            coalesce(employee_count, '<null>'), coalesce(owner_rep_id, '<null>'),
            coalesce(created_at, '<null>'), coalesce(updated_at, '<null>'))) as row_fingerprint,
        raw_accounts as raw
    from raw_accounts
),
checked as (
    select
        *,
        coalesce(
            segment_text,
            case
                when employee_count >= 1000 then 'enterprise'
                when employee_count >= 100 then 'mid_market'
                when employee_count >= 0 then 'smb'
            end,
            '(unknown)'
        ) as segment,
        case
            when account_id is null then 'missing_key'
            when (created_at is null and created_at_text is not null)
                or (updated_at is null and updated_at_text is not null) then 'invalid_date'
            when created_at_text is null then 'missing_value'
            when employee_count_text is not null and not is_integer_text(employee_count_text)
                then 'invalid_number'
            when employee_count_text is not null and is_integer_text(employee_count_text)
                and employee_count is null then 'out_of_range'
            when employee_count < 0 then 'negative_amount'
            when segment_text not in ('enterprise', 'mid_market', 'smb') then 'invalid_value'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when first_value(updated_at) over keyed is not null
            and (updated_at is null or updated_at < first_value(updated_at) over keyed)
            then 'superseded_version'
        when lag(row_fingerprint) over keyed <> row_fingerprint
            and (lag(updated_at) over keyed = updated_at
                or (lag(updated_at) over keyed is null and updated_at is null))
            then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (
    partition by account_id
    order by row_reason is not null, updated_at desc nulls last, row_fingerprint
);

create or replace table staged_accounts as
select
    account_id, account_name, segment, region, industry, employee_count, owner_rep_id,
    created_at, updated_at
from judged_accounts where reason_code is null;

create or replace table rejected_accounts as
select account_id as record_key, reason_code, to_json(raw) as raw_values
from judged_accounts where reason_code is not null;

drop table judged_accounts;

-- ---- products ------------------------------------------------------------------------------

create or replace temp table judged_products as
with typed as (
    select
        clean(product_id) as product_id,
        coalesce(clean(product_name), clean(product_id)) as product_name,
        coalesce(clean(product_family), '(unknown)') as product_family,
        md5(concat_ws('|', coalesce(product_id, '<null>'), coalesce(product_name, '<null>'),
            coalesce(product_family, '<null>'))) as row_fingerprint,
        raw_products as raw
    from raw_products
),
checked as (
    select *, case when product_id is null then 'missing_key' end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by product_id order by row_reason is not null, row_fingerprint);

create or replace table staged_products as
select product_id, product_name, product_family
from judged_products where reason_code is null;

create or replace table rejected_products as
select product_id as record_key, reason_code, to_json(raw) as raw_values
from judged_products where reason_code is not null;

drop table judged_products;

-- ---- contracts -----------------------------------------------------------------------------

create or replace temp table judged_contracts as
with typed as (
    select
        clean(contract_id) as contract_id,
        clean(account_id) as account_id,
        clean(deal_id) as deal_id,
        clean(start_date) as start_date_text,
        as_date(clean(start_date)) as start_date,
        clean(end_date) as end_date_text,
        as_date(clean(end_date)) as end_date,
        clean(monthly_amount) as monthly_amount_text,
        as_money(clean(monthly_amount)) as monthly_amount_local,
        currency(currency_code) as currency_code,
        clean(updated_at) as updated_at_text,
        as_timestamp(updated_at) as updated_at,
        md5(concat_ws('|', coalesce(contract_id, '<null>'), coalesce(account_id, '<null>'),
            coalesce(deal_id, '<null>'), coalesce(start_date, '<null>'), coalesce(end_date, '<null>'),
            coalesce(monthly_amount, '<null>'), coalesce(currency_code, '<null>'),
            coalesce(updated_at, '<null>'))) as row_fingerprint,
        raw_contracts as raw
    from raw_contracts
),
checked as (
    select
        *,
        case
            when contract_id is null then 'missing_key'
            when (start_date is null and start_date_text is not null)
                or (end_date is null and end_date_text is not null)
                or (updated_at is null and updated_at_text is not null) then 'invalid_date'
            when start_date_text is null then 'missing_value'
            when end_date < start_date then 'impossible_date'
            when monthly_amount_text is not null and not is_number_text(monthly_amount_text)
                then 'invalid_number'
            when monthly_amount_text is not null and is_number_text(monthly_amount_text)
                and (monthly_amount_local is null or abs(monthly_amount_local) >= 10000000000000)
                then 'out_of_range'
            when monthly_amount_local <> as_exact(monthly_amount_text) then 'excess_precision'
            when monthly_amount_local < 0 then 'negative_amount'
            when monthly_amount_text is null then 'missing_amount'
            when currency_code is null then 'invalid_currency'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when first_value(updated_at) over keyed is not null
            and (updated_at is null or updated_at < first_value(updated_at) over keyed)
            then 'superseded_version'
        when lag(row_fingerprint) over keyed <> row_fingerprint
            and (lag(updated_at) over keyed = updated_at
                or (lag(updated_at) over keyed is null and updated_at is null))
            then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (
    partition by contract_id
    order by row_reason is not null, updated_at desc nulls last, row_fingerprint
);

create or replace table staged_contracts as
select
    contract_id, account_id, deal_id, start_date, end_date, monthly_amount_local, currency_code,
    updated_at
from judged_contracts where reason_code is null;

create or replace table rejected_contracts as
select contract_id as record_key, reason_code, to_json(raw) as raw_values
from judged_contracts where reason_code is not null;

drop table judged_contracts;

-- ---- deals ---------------------------------------------------------------------------------

create or replace temp table judged_deals as
with typed as (
    select
        clean(deal_id) as deal_id,
        clean(deal_name) as deal_name,
        clean(account_id) as account_id,
        clean(owner_rep_id) as owner_rep_id,
        clean(lead_id) as lead_id,
        code_key(deal_type) as deal_type_key,
        code_key(stage) as stage_key,
        clean(amount) as amount_text,
        as_money(clean(amount)) as amount_local,
        clean(currency_code) as currency_code_text,
        currency(currency_code) as currency_code,
        clean(created_at) as created_at_text,
        as_timestamp(created_at) as created_at,
        clean(closed_at) as closed_at_text,
        as_timestamp(closed_at) as closed_at,
        clean(expected_close_date) as expected_close_date_text,
        as_date(clean(expected_close_date)) as expected_close_date,
        clean(lost_reason) as lost_reason,
        clean(updated_at) as updated_at_text,
        as_timestamp(updated_at) as updated_at,
        clean(product_id) as product_id,
        md5(concat_ws('|', coalesce(deal_id, '<null>'), coalesce(deal_name, '<null>'),
            coalesce(account_id, '<null>'), coalesce(owner_rep_id, '<null>'),
            coalesce(lead_id, '<null>'), coalesce(deal_type, '<null>'), coalesce(stage, '<null>'),
            coalesce(amount, '<null>'), coalesce(currency_code, '<null>'),
            coalesce(created_at, '<null>'), coalesce(closed_at, '<null>'),
            coalesce(expected_close_date, '<null>'), coalesce(lost_reason, '<null>'),
            coalesce(updated_at, '<null>'), coalesce(product_id, '<null>'))) as row_fingerprint,
        raw_deals as raw
    from raw_deals
),
checked as (
    select
        typed.* exclude (currency_code),
        coalesce(
            typed.currency_code,
            case
                when typed.currency_code_text is null
                    then coalesce(getvariable('default_currency'), getvariable('reporting_currency'))
            end
        ) as currency_code,
        stages.canonical_stage as stage,
        stages.stage_order,
        stages.stage_category,
        stages.is_qualified,
        case
            when typed.deal_type_key is null then getvariable('default_deal_type')
            else deal_types.deal_type
        end as deal_type,
        case
            when typed.deal_id is null then 'missing_key'
            when (typed.created_at is null and typed.created_at_text is not null)
                or (typed.closed_at is null and typed.closed_at_text is not null)
                or (typed.expected_close_date is null and typed.expected_close_date_text is not null)
                or (typed.updated_at is null and typed.updated_at_text is not null)
                then 'invalid_date'
            when typed.created_at_text is null then 'missing_value'
            when is_before(typed.closed_at, typed.closed_at_text, typed.created_at, typed.created_at_text)
                then 'impossible_date'
            when typed.amount_text is not null and not is_number_text(typed.amount_text)
                then 'invalid_number'
            when typed.amount_text is not null and is_number_text(typed.amount_text)
                and (typed.amount_local is null or abs(typed.amount_local) >= 10000000000000)
                then 'out_of_range'
            when typed.amount_local <> as_exact(typed.amount_text) then 'excess_precision'
            when typed.amount_local < 0 then 'negative_amount'
            when typed.amount_text is null and stages.stage_category in ('won', 'lost')
                then 'missing_amount'
            when typed.currency_code_text is not null and typed.currency_code is null
                then 'invalid_currency'
            when typed.stage_key is null then 'missing_value'
            when stages.source_value is null then 'unmapped_stage'
            when typed.deal_type_key is not null and deal_types.source_value is null
                then 'unmapped_deal_type'
            when stages.stage_category = 'open' and typed.closed_at_text is not null
                then 'impossible_date'
            when stages.stage_category <> 'open' and typed.closed_at_text is null
                then 'missing_value'
        end as row_reason
    from typed
    left join map_deal_stages as stages on typed.stage_key = stages.source_value
    left join map_deal_types as deal_types on typed.deal_type_key = deal_types.source_value
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when first_value(updated_at) over keyed is not null
            and (updated_at is null or updated_at < first_value(updated_at) over keyed)
            then 'superseded_version'
        when lag(row_fingerprint) over keyed <> row_fingerprint
            and (lag(updated_at) over keyed = updated_at
                or (lag(updated_at) over keyed is null and updated_at is null))
            then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (
    partition by deal_id
    order by row_reason is not null, updated_at desc nulls last, row_fingerprint
);

create or replace table staged_deals as
select
    deal_id, deal_name, account_id, owner_rep_id, lead_id, deal_type, stage, stage_order,
    stage_category, is_qualified, amount_local, currency_code, created_at, closed_at,
    expected_close_date, lost_reason, updated_at, product_id
from judged_deals where reason_code is null;

create or replace table rejected_deals as
select deal_id as record_key, reason_code, to_json(raw) as raw_values
from judged_deals where reason_code is not null;

drop table judged_deals;

-- ---- deal_stage_history --------------------------------------------------------------------

create or replace temp table judged_deal_stage_history as
with typed as (
    select
        clean(stage_history_id) as stage_history_id,
        clean(deal_id) as deal_id,
        code_key(stage) as stage_key,
        clean(entered_at) as entered_at_text,
        as_timestamp(entered_at) as entered_at,
        md5(concat_ws('|', coalesce(stage_history_id, '<null>'), coalesce(deal_id, '<null>'),
            coalesce(stage, '<null>'), coalesce(entered_at, '<null>'))) as row_fingerprint,
        raw_deal_stage_history as raw
    from raw_deal_stage_history
),
checked as (
    select
        typed.*,
        stages.canonical_stage as stage,
        stages.stage_order,
        stages.stage_category,
        stages.is_qualified,
        case
            when typed.stage_history_id is null then 'missing_key'
            when typed.entered_at is null and typed.entered_at_text is not null then 'invalid_date'
            when typed.entered_at_text is null then 'missing_value'
            when stages.source_value is null then 'unmapped_stage'
        end as row_reason
    from typed
    left join map_deal_stages as stages on typed.stage_key = stages.source_value
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by stage_history_id order by row_reason is not null, row_fingerprint);

create or replace table staged_deal_stage_history as
select stage_history_id, deal_id, stage, stage_order, stage_category, is_qualified, entered_at
from judged_deal_stage_history where reason_code is null;

create or replace table rejected_deal_stage_history as
select stage_history_id as record_key, reason_code, to_json(raw) as raw_values
from judged_deal_stage_history where reason_code is not null;

drop table judged_deal_stage_history;

-- ---- leads ---------------------------------------------------------------------------------

create or replace temp table judged_leads as
with typed as (
    select
        clean(lead_id) as lead_id,
        coalesce(lower(clean(lead_source)), '(unknown)') as lead_source,
        code_key(status) as status_key,
        clean(owner_rep_id) as owner_rep_id,
        clean(company_name) as company_name,
        clean(created_at) as created_at_text,
        as_timestamp(created_at) as created_at,
        clean(mql_at) as mql_at_text,
        as_timestamp(mql_at) as mql_at,
        clean(sql_at) as sql_at_text,
        as_timestamp(sql_at) as sql_at,
        clean(converted_at) as converted_at_text,
        as_timestamp(converted_at) as converted_at,
        clean(converted_deal_id) as converted_deal_id,
        clean(converted_account_id) as converted_account_id,
        clean(updated_at) as updated_at_text,
        as_timestamp(updated_at) as updated_at,
        md5(concat_ws('|', coalesce(lead_id, '<null>'), coalesce(lead_source, '<null>'),
            coalesce(status, '<null>'), coalesce(owner_rep_id, '<null>'),
            coalesce(company_name, '<null>'), coalesce(created_at, '<null>'),
            coalesce(mql_at, '<null>'), coalesce(sql_at, '<null>'), coalesce(converted_at, '<null>'),
            coalesce(converted_deal_id, '<null>'), coalesce(converted_account_id, '<null>'),
            coalesce(updated_at, '<null>'))) as row_fingerprint,
        raw_leads as raw
    from raw_leads
),
checked as (
    select
        typed.*,
        statuses.canonical_status as status,
        case
            when typed.lead_id is null then 'missing_key'
            when (typed.created_at is null and typed.created_at_text is not null)
                or (typed.mql_at is null and typed.mql_at_text is not null)
                or (typed.sql_at is null and typed.sql_at_text is not null)
                or (typed.converted_at is null and typed.converted_at_text is not null)
                or (typed.updated_at is null and typed.updated_at_text is not null)
                then 'invalid_date'
            when typed.created_at_text is null then 'missing_value'
            when is_before(typed.mql_at, typed.mql_at_text, typed.created_at, typed.created_at_text)
                or is_before(typed.sql_at, typed.sql_at_text, typed.created_at, typed.created_at_text)
                or is_before(
                    typed.converted_at, typed.converted_at_text, typed.created_at, typed.created_at_text
                )
                then 'impossible_date'
            when statuses.source_value is null then 'unmapped_lead_status'
        end as row_reason
    from typed
    left join map_lead_statuses as statuses on typed.status_key = statuses.source_value
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when first_value(updated_at) over keyed is not null
            and (updated_at is null or updated_at < first_value(updated_at) over keyed)
            then 'superseded_version'
        when lag(row_fingerprint) over keyed <> row_fingerprint
            and (lag(updated_at) over keyed = updated_at
                or (lag(updated_at) over keyed is null and updated_at is null))
            then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (
    partition by lead_id order by row_reason is not null, updated_at desc nulls last, row_fingerprint
);

create or replace table staged_leads as
select
    lead_id, lead_source, status, owner_rep_id, company_name, created_at, mql_at, sql_at,
    converted_at, converted_deal_id, converted_account_id, updated_at
from judged_leads where reason_code is null;

create or replace table rejected_leads as
select lead_id as record_key, reason_code, to_json(raw) as raw_values
from judged_leads where reason_code is not null;

drop table judged_leads;

-- ---- activities ----------------------------------------------------------------------------

create or replace temp table judged_activities as
with typed as (
    select
        clean(activity_id) as activity_id,
        code_key(activity_type) as activity_type_key,
        clean(rep_id) as rep_id,
        clean(account_id) as account_id,
        clean(deal_id) as deal_id,
        clean(lead_id) as lead_id,
        clean(started_at) as started_at_text,
        as_timestamp(started_at) as started_at,
        clean(duration_minutes) as duration_minutes_text,
        as_integer(clean(duration_minutes)) as duration_minutes,
        lower(clean(outcome)) as outcome,
        as_boolean(is_value_added) as is_value_added,
        clean(is_value_added) is not null and as_boolean(is_value_added) is null
            as is_value_added_invalid,
        md5(concat_ws('|', coalesce(activity_id, '<null>'), coalesce(activity_type, '<null>'),
            coalesce(rep_id, '<null>'), coalesce(account_id, '<null>'), coalesce(deal_id, '<null>'),
            coalesce(lead_id, '<null>'), coalesce(started_at, '<null>'),
            coalesce(duration_minutes, '<null>'), coalesce(outcome, '<null>'),
            coalesce(is_value_added, '<null>'))) as row_fingerprint,
        raw_activities as raw
    from raw_activities
),
checked as (
    select
        typed.* exclude (is_value_added),
        coalesce(typed.is_value_added, false) as is_value_added,
        activity_types.activity_class,
        activity_types.is_selling,
        case
            when typed.activity_id is null then 'missing_key'
            when typed.started_at is null and typed.started_at_text is not null then 'invalid_date'
            when typed.started_at_text is null then 'missing_value'
            when typed.duration_minutes_text is not null
                and not is_integer_text(typed.duration_minutes_text) then 'invalid_number'
            when typed.duration_minutes_text is not null
                and is_integer_text(typed.duration_minutes_text)
                and typed.duration_minutes is null then 'out_of_range'
            when typed.duration_minutes < 0 then 'negative_amount'
            when typed.outcome is not null and typed.outcome not in (
                'connected', 'no_answer', 'voicemail', 'held', 'no_show', 'cancelled', 'scheduled',
                'sent', 'completed'
            ) then 'invalid_value'
            when typed.is_value_added_invalid then 'invalid_value'
            when activity_types.source_value is null then 'unmapped_activity_type'
        end as row_reason
    from typed
    left join map_activity_types as activity_types
        on typed.activity_type_key = activity_types.source_value
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by activity_id order by row_reason is not null, row_fingerprint);

create or replace table staged_activities as
select
    activity_id, rep_id, account_id, deal_id, lead_id, activity_class, is_selling, started_at,
    duration_minutes, outcome, is_value_added
from judged_activities where reason_code is null;

create or replace table rejected_activities as
select activity_id as record_key, reason_code, to_json(raw) as raw_values
from judged_activities where reason_code is not null;

drop table judged_activities;

-- ---- email_events --------------------------------------------------------------------------

create or replace temp table judged_email_events as
with typed as (
    select
        clean(email_event_id) as email_event_id,
        clean(email_id) as email_id,
        clean(rep_id) as rep_id,
        clean(lead_id) as lead_id,
        lower(clean(event_type)) as event_type,
        clean(occurred_at) as occurred_at_text,
        as_timestamp(occurred_at) as occurred_at,
        md5(concat_ws('|', coalesce(email_event_id, '<null>'), coalesce(email_id, '<null>'),
            coalesce(rep_id, '<null>'), coalesce(lead_id, '<null>'), coalesce(event_type, '<null>'),
            coalesce(occurred_at, '<null>'))) as row_fingerprint,
        raw_email_events as raw
    from raw_email_events
),
checked as (
    select
        *,
        case
            when email_event_id is null then 'missing_key'
            when occurred_at is null and occurred_at_text is not null then 'invalid_date'
            when occurred_at_text is null or email_id is null then 'missing_value'
            when event_type is null or event_type not in ('sent', 'bounced', 'opened', 'clicked')
                then 'invalid_value'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by email_event_id order by row_reason is not null, row_fingerprint);

create or replace table staged_email_events as
select email_event_id, email_id, rep_id, lead_id, event_type, occurred_at
from judged_email_events where reason_code is null;

create or replace table rejected_email_events as
select email_event_id as record_key, reason_code, to_json(raw) as raw_values
from judged_email_events where reason_code is not null;

drop table judged_email_events;

-- ---- fx_rates (key: rate_month as written, currency_code, quote_currency) ------------------

create or replace temp table judged_fx_rates as
with typed as (
    select
        clean(rate_month) as rate_month_text,
        as_month(clean(rate_month)) as rate_month,
        currency(currency_code) as currency_code,
        currency(quote_currency) as quote_currency,
        clean(rate) as rate_text,
        case when is_number_text(clean(rate)) then try_cast(clean(rate) as decimal(18, 8)) end
            as rate,
        md5(concat_ws('|', coalesce(rate_month, '<null>'), coalesce(currency_code, '<null>'),
            coalesce(quote_currency, '<null>'), coalesce(rate, '<null>'))) as row_fingerprint,
        raw_fx_rates as raw
    from raw_fx_rates
),
checked as (
    select
        *,
        case
            when rate_month_text is null or currency_code is null or quote_currency is null
                then 'missing_key'
            when rate_month is null then 'invalid_date'
            when rate_text is not null and not is_number_text(rate_text) then 'invalid_number'
            when rate_text is not null and is_number_text(rate_text)
                and (rate is null or rate >= 1000000) then 'out_of_range'
            when rate_text is null then 'missing_amount'
            when rate <= 0 then 'negative_amount'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (
    partition by rate_month_text, currency_code, quote_currency
    order by row_reason is not null, row_fingerprint
);

create or replace table staged_fx_rates as
select rate_month, currency_code, quote_currency, rate
from judged_fx_rates where reason_code is null;

create or replace table rejected_fx_rates as
select
    coalesce(rate_month_text, '') || ' / ' || coalesce(currency_code, '') || ' / '
    || coalesce(quote_currency, '') as record_key,
    reason_code,
    to_json(raw) as raw_values
from judged_fx_rates where reason_code is not null;

drop table judged_fx_rates;

-- ---- quotas --------------------------------------------------------------------------------

create or replace temp table judged_quotas as
with typed as (
    select
        clean(quota_id) as quota_id,
        clean(rep_id) as rep_id,
        clean(quota_month) as quota_month_text,
        as_month(clean(quota_month)) as quota_month,
        lower(clean(quota_type)) as quota_type,
        clean(quota_value) as quota_value_text,
        as_money(clean(quota_value)) as quota_value,
        currency(currency_code) as currency_code,
        md5(concat_ws('|', coalesce(quota_id, '<null>'), coalesce(rep_id, '<null>'),
            coalesce(quota_month, '<null>'), coalesce(quota_type, '<null>'),
            coalesce(quota_value, '<null>'), coalesce(currency_code, '<null>'))) as row_fingerprint,
        raw_quotas as raw
    from raw_quotas
),
checked as (
    select
        *,
        case
            when quota_id is null then 'missing_key'
            when quota_month is null and quota_month_text is not null then 'invalid_date'
            when quota_month_text is null then 'missing_value'
            when quota_type is null or quota_type not in ('revenue', 'deals_won', 'new_accounts')
                then 'invalid_value'
            when quota_value_text is not null and not is_number_text(quota_value_text)
                then 'invalid_number'
            when quota_value_text is not null and is_number_text(quota_value_text)
                and (quota_value is null or abs(quota_value) >= 10000000000000) then 'out_of_range'
            when quota_value <> as_exact(quota_value_text) then 'excess_precision'
            when quota_value < 0 then 'negative_amount'
            when quota_value_text is null then 'missing_amount'
            when quota_type = 'revenue' and currency_code is null then 'invalid_currency'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by quota_id order by row_reason is not null, row_fingerprint);

create or replace table staged_quotas as
select quota_id, rep_id, quota_month, quota_type, quota_value, currency_code
from judged_quotas where reason_code is null;

create or replace table rejected_quotas as
select quota_id as record_key, reason_code, to_json(raw) as raw_values
from judged_quotas where reason_code is not null;

drop table judged_quotas;

-- ---- revenue_goals -------------------------------------------------------------------------

create or replace temp table judged_revenue_goals as
with typed as (
    select
        clean(goal_id) as goal_id,
        as_month(clean(goal_month)) as goal_month,
        clean(team_id) as team_id,
        clean(goal_amount) as goal_amount_text,
        as_money(clean(goal_amount)) as goal_amount_local,
        currency(currency_code) as currency_code,
        md5(concat_ws('|', coalesce(goal_id, '<null>'), coalesce(goal_month, '<null>'),
            coalesce(team_id, '<null>'), coalesce(goal_amount, '<null>'),
            coalesce(currency_code, '<null>'))) as row_fingerprint,
        raw_revenue_goals as raw
    from raw_revenue_goals
),
checked as (
    select
        *,
        case
            when goal_id is null then 'missing_key'
            when goal_month is null then 'invalid_date'
            when goal_amount_text is not null and not is_number_text(goal_amount_text)
                then 'invalid_number'
            when goal_amount_text is not null and is_number_text(goal_amount_text)
                and (goal_amount_local is null or abs(goal_amount_local) >= 10000000000000)
                then 'out_of_range'
            when goal_amount_local <> as_exact(goal_amount_text) then 'excess_precision'
            when goal_amount_local < 0 then 'negative_amount'
            when goal_amount_text is null then 'missing_amount'
            when currency_code is null then 'invalid_currency'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by goal_id order by row_reason is not null, row_fingerprint);

create or replace table staged_revenue_goals as
select goal_id, goal_month, team_id, goal_amount_local, currency_code
from judged_revenue_goals where reason_code is null;

create or replace table rejected_revenue_goals as
select goal_id as record_key, reason_code, to_json(raw) as raw_values
from judged_revenue_goals where reason_code is not null;

drop table judged_revenue_goals;

-- ---- acquisition_costs ---------------------------------------------------------------------

create or replace temp table judged_acquisition_costs as
with typed as (
    select
        clean(cost_id) as cost_id,
        as_month(clean(cost_month)) as cost_month,
        lower(clean(category)) as category,
        clean(amount) as amount_text,
        as_money(clean(amount)) as amount_local,
        currency(currency_code) as currency_code,
        md5(concat_ws('|', coalesce(cost_id, '<null>'), coalesce(cost_month, '<null>'),
            coalesce(category, '<null>'), coalesce(amount, '<null>'),
            coalesce(currency_code, '<null>'))) as row_fingerprint,
        raw_acquisition_costs as raw
    from raw_acquisition_costs
),
checked as (
    select
        *,
        case
            when cost_id is null then 'missing_key'
            when cost_month is null then 'invalid_date'
            when category is null
                or category not in ('marketing', 'advertising', 'sales_salaries', 'other')
                then 'invalid_value'
            when amount_text is not null and not is_number_text(amount_text) then 'invalid_number'
            when amount_text is not null and is_number_text(amount_text)
                and (amount_local is null or abs(amount_local) >= 10000000000000) then 'out_of_range'
            when amount_local <> as_exact(amount_text) then 'excess_precision'
            when amount_local < 0 then 'negative_amount'
            when amount_text is null then 'missing_amount'
            when currency_code is null then 'invalid_currency'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by cost_id order by row_reason is not null, row_fingerprint);

create or replace table staged_acquisition_costs as
select cost_id, cost_month, category, amount_local, currency_code
from judged_acquisition_costs where reason_code is null;

create or replace table rejected_acquisition_costs as
select cost_id as record_key, reason_code, to_json(raw) as raw_values
from judged_acquisition_costs where reason_code is not null;

drop table judged_acquisition_costs;

-- ---- quotes --------------------------------------------------------------------------------

create or replace temp table judged_quotes as
with typed as (
    select
        clean(quote_id) as quote_id,
        clean(deal_id) as deal_id,
        clean(rep_id) as rep_id,
        clean(requested_at) as requested_at_text,
        as_timestamp(requested_at) as requested_at,
        clean(delivered_at) as delivered_at_text,
        as_timestamp(delivered_at) as delivered_at,
        clean(quote_amount) as quote_amount_text,
        as_money(clean(quote_amount)) as quote_amount_local,
        currency(currency_code) as currency_code,
        md5(concat_ws('|', coalesce(quote_id, '<null>'), coalesce(deal_id, '<null>'),
            coalesce(rep_id, '<null>'), coalesce(requested_at, '<null>'),
            coalesce(delivered_at, '<null>'), coalesce(quote_amount, '<null>'),
            coalesce(currency_code, '<null>'))) as row_fingerprint,
        raw_quotes as raw
    from raw_quotes
),
checked as (
    select
        *,
        case
            when quote_id is null then 'missing_key'
            when (requested_at is null and requested_at_text is not null)
                or (delivered_at is null and delivered_at_text is not null) then 'invalid_date'
            when requested_at_text is null then 'missing_value'
            when is_before(delivered_at, delivered_at_text, requested_at, requested_at_text)
                then 'impossible_date'
            when quote_amount_text is not null and not is_number_text(quote_amount_text)
                then 'invalid_number'
            when quote_amount_text is not null and is_number_text(quote_amount_text)
                and (quote_amount_local is null or abs(quote_amount_local) >= 10000000000000)
                then 'out_of_range'
            when quote_amount_local <> as_exact(quote_amount_text) then 'excess_precision'
            when quote_amount_local < 0 then 'negative_amount'
            when currency_code is null and quote_amount_local is not null then 'invalid_currency'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by quote_id order by row_reason is not null, row_fingerprint);

create or replace table staged_quotes as
select quote_id, deal_id, rep_id, requested_at, delivered_at, quote_amount_local, currency_code
from judged_quotes where reason_code is null;

create or replace table rejected_quotes as
select quote_id as record_key, reason_code, to_json(raw) as raw_values
from judged_quotes where reason_code is not null;

drop table judged_quotes;

-- ---- service_requests ----------------------------------------------------------------------

create or replace temp table judged_service_requests as
with typed as (
    select
        clean(request_id) as request_id,
        clean(account_id) as account_id,
        clean(rep_id) as rep_id,
        lower(clean(channel)) as channel,
        clean(opened_at) as opened_at_text,
        as_timestamp(opened_at) as opened_at,
        clean(resolved_at) as resolved_at_text,
        as_timestamp(resolved_at) as resolved_at,
        clean(contact_count) as contact_count_text,
        as_integer(clean(contact_count)) as contact_count,
        md5(concat_ws('|', coalesce(request_id, '<null>'), coalesce(account_id, '<null>'),
            coalesce(rep_id, '<null>'), coalesce(channel, '<null>'), coalesce(opened_at, '<null>'),
            coalesce(resolved_at, '<null>'), coalesce(contact_count, '<null>'))) as row_fingerprint,
        raw_service_requests as raw
    from raw_service_requests
),
checked as (
    select
        *,
        case
            when request_id is null then 'missing_key'
            when (opened_at is null and opened_at_text is not null)
                or (resolved_at is null and resolved_at_text is not null) then 'invalid_date'
            when opened_at_text is null then 'missing_value'
            when is_before(resolved_at, resolved_at_text, opened_at, opened_at_text)
                then 'impossible_date'
            when contact_count_text is not null and not is_integer_text(contact_count_text)
                then 'invalid_number'
            when contact_count_text is not null and is_integer_text(contact_count_text)
                and contact_count is null then 'out_of_range'
            when contact_count < 0 then 'negative_amount'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by request_id order by row_reason is not null, row_fingerprint);

create or replace table staged_service_requests as
select request_id, account_id, rep_id, channel, opened_at, resolved_at, contact_count
from judged_service_requests where reason_code is null;

create or replace table rejected_service_requests as
select request_id as record_key, reason_code, to_json(raw) as raw_values
from judged_service_requests where reason_code is not null;

drop table judged_service_requests;

-- ---- content_assets ------------------------------------------------------------------------

create or replace temp table judged_content_assets as
with typed as (
    select
        clean(asset_id) as asset_id,
        clean(asset_name) as asset_name,
        lower(clean(asset_type)) as asset_type,
        clean(published_at) as published_at_text,
        as_timestamp(published_at) as published_at,
        md5(concat_ws('|', coalesce(asset_id, '<null>'), coalesce(asset_name, '<null>'),
            coalesce(asset_type, '<null>'), coalesce(published_at, '<null>'))) as row_fingerprint,
        raw_content_assets as raw
    from raw_content_assets
),
checked as (
    select
        *,
        case
            when asset_id is null then 'missing_key'
            when published_at is null and published_at_text is not null then 'invalid_date'
            when asset_name is null then 'missing_value'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by asset_id order by row_reason is not null, row_fingerprint);

create or replace table staged_content_assets as
select asset_id, asset_name, asset_type, published_at
from judged_content_assets where reason_code is null;

create or replace table rejected_content_assets as
select asset_id as record_key, reason_code, to_json(raw) as raw_values
from judged_content_assets where reason_code is not null;

drop table judged_content_assets;

-- ---- content_usage -------------------------------------------------------------------------

create or replace temp table judged_content_usage as
with typed as (
    select
        clean(usage_id) as usage_id,
        clean(asset_id) as asset_id,
        clean(rep_id) as rep_id,
        clean(deal_id) as deal_id,
        clean(used_at) as used_at_text,
        as_timestamp(used_at) as used_at,
        md5(concat_ws('|', coalesce(usage_id, '<null>'), coalesce(asset_id, '<null>'),
            coalesce(rep_id, '<null>'), coalesce(deal_id, '<null>'),
            coalesce(used_at, '<null>'))) as row_fingerprint,
        raw_content_usage as raw
    from raw_content_usage
),
checked as (
    select
        *,
        case
            when usage_id is null then 'missing_key'
            when used_at is null and used_at_text is not null then 'invalid_date'
            when used_at_text is null then 'missing_value'
            when asset_id is null then 'missing_value'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by usage_id order by row_reason is not null, row_fingerprint);

create or replace table staged_content_usage as
select usage_id, asset_id, rep_id, deal_id, used_at
from judged_content_usage where reason_code is null;

create or replace table rejected_content_usage as
select usage_id as record_key, reason_code, to_json(raw) as raw_values
from judged_content_usage where reason_code is not null;

drop table judged_content_usage;

-- ---- training_enrolments -------------------------------------------------------------------

create or replace temp table judged_training_enrolments as
with typed as (
    select
        clean(enrolment_id) as enrolment_id,
        clean(rep_id) as rep_id,
        clean(programme_id) as programme_id,
        clean(programme_name) as programme_name,
        clean(enrolled_at) as enrolled_at_text,
        as_timestamp(enrolled_at) as enrolled_at,
        clean(completed_at) as completed_at_text,
        as_timestamp(completed_at) as completed_at,
        md5(concat_ws('|', coalesce(enrolment_id, '<null>'), coalesce(rep_id, '<null>'),
            coalesce(programme_id, '<null>'), coalesce(programme_name, '<null>'),
            coalesce(enrolled_at, '<null>'), coalesce(completed_at, '<null>'))) as row_fingerprint,
        raw_training_enrolments as raw
    from raw_training_enrolments
),
checked as (
    select
        *,
        case
            when enrolment_id is null then 'missing_key'
            when (enrolled_at is null and enrolled_at_text is not null)
                or (completed_at is null and completed_at_text is not null) then 'invalid_date'
            when enrolled_at_text is null or programme_id is null then 'missing_value'
            when is_before(completed_at, completed_at_text, enrolled_at, enrolled_at_text)
                then 'impossible_date'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by enrolment_id order by row_reason is not null, row_fingerprint);

create or replace table staged_training_enrolments as
select enrolment_id, rep_id, programme_id, programme_name, enrolled_at, completed_at
from judged_training_enrolments where reason_code is null;

create or replace table rejected_training_enrolments as
select enrolment_id as record_key, reason_code, to_json(raw) as raw_values
from judged_training_enrolments where reason_code is not null;

drop table judged_training_enrolments;

-- ---- training_assessments ------------------------------------------------------------------

create or replace temp table judged_training_assessments as
with typed as (
    select
        clean(assessment_id) as assessment_id,
        clean(rep_id) as rep_id,
        clean(programme_id) as programme_id,
        lower(clean(assessment_type)) as assessment_type,
        clean(assessed_at) as assessed_at_text,
        as_timestamp(assessed_at) as assessed_at,
        clean(score) as score_text,
        case when is_number_text(clean(score)) then try_cast(clean(score) as decimal(5, 2)) end
            as score,
        md5(concat_ws('|', coalesce(assessment_id, '<null>'), coalesce(rep_id, '<null>'),
            coalesce(programme_id, '<null>'), coalesce(assessment_type, '<null>'),
            coalesce(assessed_at, '<null>'), coalesce(score, '<null>'))) as row_fingerprint,
        raw_training_assessments as raw
    from raw_training_assessments
),
checked as (
    select
        *,
        case
            when assessment_id is null then 'missing_key'
            when assessed_at is null and assessed_at_text is not null then 'invalid_date'
            when assessed_at_text is null or programme_id is null then 'missing_value'
            when assessment_type is null
                or assessment_type not in ('post_training', 'reassessment') then 'invalid_value'
            when score_text is not null and not is_number_text(score_text) then 'invalid_number'
            when score_text is not null and is_number_text(score_text) and score is null
                then 'out_of_range'
            when score <> as_exact(score_text) then 'excess_precision'
            when score_text is null then 'missing_value'
            when score < 0 or score > 100 then 'invalid_value'
        end as row_reason
    from typed
)
select
    * exclude (row_reason),
    coalesce(row_reason, case
        when lag(row_fingerprint) over keyed = row_fingerprint then 'exact_duplicate'
        when lag(row_fingerprint) over keyed <> row_fingerprint then 'duplicate_key'
    end) as reason_code
from checked
window keyed as (partition by assessment_id order by row_reason is not null, row_fingerprint);

create or replace table staged_training_assessments as
select assessment_id, rep_id, programme_id, assessment_type, assessed_at, score
from judged_training_assessments where reason_code is null;

create or replace table rejected_training_assessments as
select assessment_id as record_key, reason_code, to_json(raw) as raw_values
from judged_training_assessments where reason_code is not null;

drop table judged_training_assessments;
