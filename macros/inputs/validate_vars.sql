{#- on-run-start hook, the first one: every project var (dbt_project.yml `vars:`, or --vars on
    the command line) is checked before anything touches the warehouse. All problems are
    collected and raised as ONE error, one line per var — `var '<name>' is '<value>': <what is
    allowed>` — so a user fixes them all at once and no model runs on a bad value.
    A value given as text on the command line (--vars '{fiscal_year_start_month: "4"}') is
    accepted when it reads as the right type; a value is never silently corrected (a lower-case
    currency code is an error that names the upper-case one). Time zones are checked against
    the engine's own list where it has one (DuckDB, PostgreSQL); on Spark by their shape.
    tests/python/test_vars.py checks that every var in dbt_project.yml is validated here. -#}
{% macro validate_vars() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set problems = [] -%}
    {%- do vars_check_choices(problems) -%}
    {%- do vars_check_dates(problems) -%}
    {%- do vars_check_numbers(problems) -%}
    {%- do vars_check_currency(problems, 'reporting_currency', required=true) -%}
    {%- do vars_check_currency(problems, 'default_currency', required=false) -%}
    {%- do vars_check_time_zone(problems, 'reporting_timezone') -%}
    {%- do vars_check_time_zone(problems, 'source_timezone') -%}
    {%- do vars_check_segment_thresholds(problems) -%}
    {%- do vars_check_texts(problems) -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            (problems | length) ~ " project var(s) invalid, so nothing was run. Fix them in "
            ~ "dbt_project.yml `vars:` or in --vars:\n  - " ~ problems | join('\n  - ')) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- one problem line: var '<name>' is '<value>': <allowed> -#}
{% macro vars_problem(problems, name, value, allowed) -%}
    {%- set shown = 'null' if value is none else "'" ~ vars_shown_value(value) ~ "'" -%}
    {%- do problems.append("var '" ~ name ~ "' is " ~ shown ~ ": " ~ allowed) -%}
{%- endmacro %}

{#- the value as text, control characters made visible (\n, \t, ?) so the message stays one line -#}
{% macro vars_shown_value(value) -%}
    {%- set text = (value ~ '') | replace('\n', '\\n') | replace('\r', '\\r') | replace('\t', '\\t') -%}
    {{ return(modules.re.sub('[\\x00-\\x1f\\x7f]', '?', text)) }}
{%- endmacro %}

{#- an integer, or a text of one ('4', '+4'); else none. Never a boolean or a float. -#}
{% macro vars_parse_integer(value) -%}
    {%- if value is integer -%}
        {{ return(value) }}
    {%- elif value is string and modules.re.fullmatch(integer_shape(), value) -%}
        {{ return(value | int) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- a number, or a text of one ('0.5', '.5', '5e-1'); else none. Never a boolean. -#}
{% macro vars_parse_number(value) -%}
    {%- if value is number and value is not boolean -%}
        {{ return(value) }}
    {%- elif value is string and modules.re.fullmatch(number_shape(), value) -%}
        {{ return(value | float) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- a real calendar date written YYYY-MM-DD (a text, or a date YAML read from an unquoted
    value) as a datetime.date; else none. Checked by arithmetic first: strptime would raise. -#}
{% macro vars_parse_date(value) -%}
    {%- set text = '' if value is none or value is boolean else value ~ '' -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set year, month, day = text[0:4] | int, text[5:7] | int, text[8:10] | int -%}
    {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {%- if year < 1 or month < 1 or month > 12 or day < 1 or day > month_days[month - 1] -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(modules.datetime.date(year, month, day)) }}
{%- endmacro %}

{% macro vars_check_choices(problems) -%}
    {%- set choices = {
        'input_mode': ['seeds', 'files', 'warehouse', 'salesforce', 'hubspot'],
        'raw_file_format': ['csv', 'parquet'],
        'default_deal_type': ['new_business', 'upsell', 'cross_sell', 'renewal'],
        'default_rep_role': ['account_executive', 'sdr', 'manager'],
        'default_team_type': ['field_sales', 'inside_sales'],
    } -%}
    {%- for name, allowed in choices.items() -%}
        {%- set value = var(name, none) -%}
        {%- if not (value is string and value in allowed) -%}
            {%- do vars_problem(problems, name, value, "one of " ~ allowed | join(', ') ~ " (lower case)") -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#- calendar_start_date <= as_of_date <= calendar_end_date, each a real date; the calendar
    bounds may be null (derived from the data, int_calendar_bounds); test_since a real date or
    null -#}
{% macro vars_check_dates(problems) -%}
    {%- set dates = {} -%}
    {%- for name in ['calendar_start_date', 'as_of_date', 'calendar_end_date'] -%}
        {%- set parsed = vars_parse_date(var(name, none)) -%}
        {%- if parsed is none and name != 'as_of_date' and var(name, none) is none -%}
            {#- null: derived from the data -#}
        {%- elif parsed is none -%}
            {%- do vars_problem(problems, name, var(name, none),
                "a real calendar date written YYYY-MM-DD, e.g. '2026-10-31'"
                ~ ("" if name == 'as_of_date' else " (or null: derived from the data)")) -%}
        {%- else -%}
            {%- do dates.update({name: parsed}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if var('test_since', none) is not none and vars_parse_date(var('test_since')) is none -%}
        {%- do vars_problem(problems, 'test_since', var('test_since'),
            "a real calendar date written YYYY-MM-DD, e.g. '2026-10-01' (the data tests that can be"
            ~ " scoped check the periods from its month on), or null: every row") -%}
    {%- endif -%}
    {%- if 'calendar_start_date' in dates and 'calendar_end_date' in dates
        and dates['calendar_start_date'] > dates['calendar_end_date'] -%}
        {%- do vars_problem(problems, 'calendar_end_date', var('calendar_end_date'),
            "a date on or after calendar_start_date '" ~ dates['calendar_start_date'] ~ "'") -%}
    {%- elif 'as_of_date' in dates and (
        ('calendar_start_date' in dates and dates['as_of_date'] < dates['calendar_start_date'])
        or ('calendar_end_date' in dates and dates['as_of_date'] > dates['calendar_end_date'])) -%}
        {%- do vars_problem(problems, 'as_of_date', var('as_of_date'),
            "a date inside the calendar, from calendar_start_date '" ~ dates.get('calendar_start_date', '(derived)')
            ~ "' to calendar_end_date '" ~ dates.get('calendar_end_date', '(derived)') ~ "'") -%}
    {%- endif -%}
{%- endmacro %}

{% macro vars_check_numbers(problems) -%}
    {%- set month = vars_parse_integer(var('fiscal_year_start_month', none)) -%}
    {%- if month is none or month < 1 or month > 12 -%}
        {%- do vars_problem(problems, 'fiscal_year_start_month', var('fiscal_year_start_month', none),
            "a whole number from 1 (January) to 12 (December), e.g. 4 for an April fiscal year") -%}
    {%- endif -%}
    {%- for name in ['planning_trailing_months', 'incremental_lookback_days'] -%}
        {%- set parsed = vars_parse_integer(var(name, none)) -%}
        {%- if parsed is none or parsed < 1 -%}
            {%- do vars_problem(problems, name, var(name, none), "a whole number of at least 1") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set shares = {} -%}
    {%- for name in ['max_rejected_share', 'warn_rejected_share'] -%}
        {%- set parsed = vars_parse_number(var(name, none)) -%}
        {%- if parsed is none or not (0 <= parsed <= 1) -%}
            {%- do vars_problem(problems, name, var(name, none),
                "a share from 0 to 1 of a table's raw rows, e.g. 0.5") -%}
        {%- else -%}
            {%- do shares.update({name: parsed}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if shares | length == 2 and shares['warn_rejected_share'] > shares['max_rejected_share'] -%}
        {%- do vars_problem(problems, 'warn_rejected_share', var('warn_rejected_share'),
            "a share no larger than max_rejected_share (" ~ var('max_rejected_share') ~ ")") -%}
    {%- endif -%}
{%- endmacro %}

{#- an ISO 4217 code in three upper-case letters; lower case is an error naming the fix -#}
{% macro vars_check_currency(problems, name, required) -%}
    {%- set value = var(name, none) -%}
    {%- if value is none and not required -%}
        {{ return('') }}
    {%- endif -%}
    {%- if value is string and modules.re.fullmatch('[A-Z]{3}', value) -%}
        {{ return('') }}
    {%- elif value is string and modules.re.fullmatch('[A-Za-z]{3}', value) -%}
        {%- do vars_problem(problems, name, value,
            "a currency code in three upper-case letters: use '" ~ value | upper ~ "'") -%}
    {%- else -%}
        {%- do vars_problem(problems, name, value,
            "an ISO 4217 currency code in three upper-case letters, e.g. 'JPY' or 'USD'"
            ~ ("" if required else " (or null)")) -%}
    {%- endif -%}
{%- endmacro %}

{#- an IANA time zone name; on DuckDB and PostgreSQL one the engine knows, spelt its way -#}
{% macro vars_check_time_zone(problems, name) -%}
    {%- set value = var(name, none) -%}
    {%- set allowed = "an IANA time zone name such as 'Asia/Tokyo', 'Europe/Berlin' or 'UTC'" -%}
    {%- if not (value is string and modules.re.fullmatch('[A-Za-z_]+(/[A-Za-z0-9_+-]+)*', value)) -%}
        {%- do vars_problem(problems, name, value, allowed) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set known = engine_time_zone_name(value) -%}
    {%- if known is none or known == value -%}
        {{ return('') }}
    {%- elif known -%}
        {%- do vars_problem(problems, name, value, "a time zone name spelt exactly: use '" ~ known ~ "'") -%}
    {%- else -%}
        {%- do vars_problem(problems, name, value, allowed ~ ", one " ~ target.type ~ " knows") -%}
    {%- endif -%}
{%- endmacro %}

{% macro vars_check_segment_thresholds(problems) -%}
    {%- set value = var('segment_employee_thresholds', none) -%}
    {%- set allowed = "a mapping of whole numbers with enterprise > mid_market > 0, "
        ~ "e.g. {enterprise: 1000, mid_market: 100}" -%}
    {%- if not (value is mapping and value.keys() | map('string') | sort | list == ['enterprise', 'mid_market']) -%}
        {%- do vars_problem(problems, 'segment_employee_thresholds', value, allowed) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set enterprise = vars_parse_integer(value['enterprise']) -%}
    {%- set mid_market = vars_parse_integer(value['mid_market']) -%}
    {%- if enterprise is none or mid_market is none or not (enterprise > mid_market > 0) -%}
        {%- do vars_problem(problems, 'segment_employee_thresholds', value, allowed) -%}
    {%- endif -%}
{%- endmacro %}

{#- names and paths: text without control characters; the warehouse names plain identifiers.
    Required only where the chosen input_mode reads them. DBT_BI_ROLE (the environment's
    fallback for bi_role) is held to the same rule. -#}
{% macro vars_check_texts(problems) -%}
    {%- set mode = var('input_mode', none) -%}
    {%- do vars_check_text(problems, 'company_name', var('company_name', none), required=true) -%}
    {%- do vars_check_text(problems, 'raw_path', var('raw_path', none), required=(mode == 'files')) -%}
    {%- do vars_check_text(problems, 'mapping_path', var('mapping_path', none), required=false) -%}
    {%- do vars_check_text(problems, 'supplement_path', var('supplement_path', none), required=false) -%}
    {%- if mode == 'files' -%}
        {%- do vars_check_folder(problems, 'raw_path') -%}
    {%- elif mode in ('salesforce', 'hubspot') and var('supplement_path', none) -%}
        {%- do vars_check_folder(problems, 'supplement_path') -%}
    {%- endif -%}
    {%- do vars_check_supplement(problems, mode) -%}
    {%- if var('mapping_path', none) -%}
        {%- do vars_check_folder(problems, 'mapping_path') -%}
    {%- endif -%}
    {%- do vars_check_identifier(problems, "var 'salesforce_schema'", var('salesforce_schema', none), required=(mode == 'salesforce')) -%}
    {%- do vars_check_identifier(problems, "var 'salesforce_database'", var('salesforce_database', none), required=false) -%}
    {%- do vars_check_identifier(problems, "var 'hubspot_schema'", var('hubspot_schema', none), required=(mode == 'hubspot')) -%}
    {%- do vars_check_identifier(problems, "var 'hubspot_database'", var('hubspot_database', none), required=false) -%}
    {%- for name in ['hubspot_lead_source_property', 'hubspot_lead_status_property', 'hubspot_mql_date_property',
                     'hubspot_sql_date_property', 'hubspot_converted_date_property', 'hubspot_deal_type_property',
                     'hubspot_account_segment_property', 'hubspot_account_region_property',
                     'hubspot_activity_type_property', 'hubspot_value_added_call_property',
                     'hubspot_product_family_property'] -%}
        {#- a HubSpot property's internal name, or null -#}
        {%- do vars_check_identifier(problems, "var '" ~ name ~ "'", var(name, none), required=false) -%}
    {%- endfor -%}
    {%- for field_var in ['salesforce_lead_mql_date_field', 'salesforce_lead_sql_date_field', 'salesforce_user_rep_role_field',
                          'salesforce_user_hire_date_field', 'salesforce_user_termination_date_field', 'salesforce_account_region_field',
                          'salesforce_opportunity_lost_reason_field', 'salesforce_task_duration_field',
                          'salesforce_task_value_added_field', 'salesforce_event_outcome_field'] -%}
        {%- do vars_check_identifier(problems, "var '" ~ field_var ~ "'", var(field_var, none), required=false) -%}
    {%- endfor -%}
    {%- do vars_check_identifier(problems, "var 'raw_schema'", var('raw_schema', none), required=(mode == 'warehouse')) -%}
    {%- do vars_check_identifier(problems, "var 'raw_database'", var('raw_database', none), required=false) -%}
    {%- do vars_check_identifier(problems, "var 'bi_role'", var('bi_role', none), required=false) -%}
    {%- do vars_check_identifier(problems, "environment variable 'DBT_BI_ROLE' (the fallback of var bi_role)",
        env_var('DBT_BI_ROLE', '') or none, required=false) -%}
{%- endmacro %}

{#- Connector modes take the tables the CRM lacks from ONE place: var supplement_path (files,
    read in place: DuckDB and Spark) or var supplement_schema (tables in the warehouse: every
    engine). PostgreSQL cannot read the files of the machine dbt runs on. -#}
{% macro vars_check_supplement(problems, mode) -%}
    {%- set path, schema = var('supplement_path', none), var('supplement_schema', none) -%}
    {%- do vars_check_identifier(problems, "var 'supplement_schema'", schema, required=false) -%}
    {%- if mode not in ('salesforce', 'hubspot') or not path -%}
        {{ return('') }}
    {%- endif -%}
    {%- if schema -%}
        {%- do vars_problem(problems, 'supplement_schema', schema,
            "null while supplement_path is set: give the contract tables the connector lacks"
            ~ " either as files (supplement_path) or as warehouse tables (supplement_schema), not both") -%}
    {%- elif target.type not in ('duckdb', 'spark') -%}
        {%- do vars_problem(problems, 'supplement_path', path,
            "null on " ~ target.type ~ ", which cannot read files on the machine dbt runs on:"
            ~ " load them into tables of one schema and set supplement_schema instead") -%}
    {%- endif -%}
{%- endmacro %}

{% macro vars_check_text(problems, name, value, required) -%}
    {%- if value is none or (value is string and value | trim == '') -%}
        {%- if required -%}
            {%- do vars_problem(problems, name, value, "a non-empty text") -%}
        {%- endif -%}
    {%- elif value is not string -%}
        {%- do vars_problem(problems, name, value, "a text (quote it in YAML)") -%}
    {%- elif modules.re.search('[\\x00-\\x1f\\x7f]', value) -%}
        {%- do vars_problem(problems, name, value,
            "a text without control characters (line breaks, tabs, NUL)") -%}
    {%- endif -%}
{%- endmacro %}

{#- `label` names the setting (the message says "var 'raw_schema' is ..."), since DBT_BI_ROLE
    is an environment variable rather than a var -#}
{% macro vars_check_identifier(problems, label, value, required) -%}
    {%- if value is none or value == '' -%}
        {%- if required -%}
            {%- do problems.append(label ~ " is not set: a plain identifier is needed") -%}
        {%- endif -%}
    {%- elif not (value is string and modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', value)) -%}
        {%- do problems.append(label ~ " is '" ~ vars_shown_value(value) ~ "': a plain identifier "
            ~ "(a letter or _, then letters, digits or _; no spaces, quotes, dots or ;)") -%}
    {%- endif -%}
{%- endmacro %}

{#- a folder var (a valid text) that names no folder with files: one problem line, before
    register_raw_files creates anything. DuckDB lists it (glob); other engines find out when
    they read the files. -#}
{% macro vars_check_folder(problems, name) -%}
    {%- set value = var(name, none) -%}
    {%- if target.type != 'duckdb' or not (value is string and value | trim != '')
        or modules.re.search('[\\x00-\\x1f\\x7f]', value) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set found = run_query("select count(*) from glob(" ~ sql_string_literal(value ~ '/*') ~ ")").columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {%- do vars_problem(problems, name, value,
            "a folder that exists and holds the files (relative to the project folder, or absolute)") -%}
    {%- endif -%}
{%- endmacro %}
