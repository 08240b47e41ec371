{#- The calendar's compile-time limits, from the vars (no query; unit tests can override them):
    - first_month / months: the month spine's anchor and length, wide enough for any calendar
      int_calendar_bounds can choose;
    - window_start / window_end: the dates a derived calendar may stretch to — 30 years before
      and 10 after var('as_of_date') (whole years). A date outside is an outlier: listed in
      dq_findings (outside_calendar) and warned about, never stretched to.
    An explicit var('calendar_start_date') / var('calendar_end_date') replaces the derived bound. -#}
{% macro calendar_window() -%}
    {#- a malformed as_of_date is reported by validate_vars before any model runs; until then
        (parsing) any date will do -#}
    {%- set as_of = vars_parse_date(var('as_of_date', none)) or modules.datetime.date(2000, 1, 1) -%}
    {%- set explicit_start = vars_parse_date(var('calendar_start_date', none)) if var('calendar_start_date', none) else none -%}
    {%- set explicit_end = vars_parse_date(var('calendar_end_date', none)) if var('calendar_end_date', none) else none -%}
    {%- set window_start = modules.datetime.date(as_of.year - 30, 1, 1) -%}
    {%- set window_end = modules.datetime.date(as_of.year + 10, 12, 31) -%}
    {#- a derived bound is rounded out to whole fiscal years (+1 year at the end) -#}
    {%- set first = explicit_start or modules.datetime.date(window_start.year - 1, 1, 1) -%}
    {%- set last = explicit_end or modules.datetime.date(window_end.year + 2, 12, 31) -%}
    {{ return({
        'first_month': first.replace(day=1),
        'months': (last.year - first.year) * 12 + last.month - first.month + 1,
        'window_start': window_start,
        'window_end': window_end,
        'explicit_start': explicit_start,
        'explicit_end': explicit_end,
    }) }}
{%- endmacro %}
