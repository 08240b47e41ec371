{#- A timestamp text of the export as a UTC timestamp (without time zone); NULL when it does not
    parse ('2025-02-30 10:00:00', '2025-13-01 09:00:00', 'n/a'). How the text is read
    (docs/input_contract.md, "Time"):
    - with an offset (`Z`, `+09:00`, `+0900`, `+09`; a `T` or a space before the time): the offset
      wins, the instant is converted to UTC;
    - date and time without an offset: wall-clock time in var('source_timezone') (default UTC);
    - a date alone (`YYYY-MM-DD`): a calendar date, never shifted by a time zone. It is stored as
      the start of that day in var('reporting_timezone'), so every local date computed from it
      (to_local_date) is the date as written, whatever the two zones are.
    Only the offset branch does string surgery; the common case (no offset, source_timezone UTC)
    is the plain safe cast it always was. -#}
{% macro parse_timestamp(column) -%}
    {%- set text = dbt.replace(clean_text(column), "'T'", "' '") -%}
    {%- set plain = try_cast(text, dbt.type_timestamp()) -%}
    {%- set source_timezone = var('source_timezone', 'UTC') -%}
    {%- set offset_shape = '[0-9]{4}-[0-9]{2}-[0-9]{2} ([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)' -%}
    case
        when {{ dbt.length(text) }} = 10 then {{ to_utc_timestamp(plain, var('reporting_timezone')) }}
        when {{ dbt.length(text) }} > 16 and {{ matches_pattern(text, offset_shape) }} then {{ timestamp_with_offset_to_utc(text) }}
        else {{ plain if source_timezone == 'UTC' else to_utc_timestamp(plain, source_timezone) }}
    end
{%- endmacro %}

{#- `text` (already matched as date, time and offset, `T` replaced by a space) as a UTC
    timestamp: the wall-clock part minus the offset. The offset is `Z` or the last 6
    (`+09:00`), 5 (`+0900`) or 3 (`+09`) characters; portable string functions only. -#}
{% macro timestamp_with_offset_to_utc(text) -%}
    {%- set length = dbt.length(text) -%}
    {%- set suffix_length -%}
        case
            when {{ dbt.right(text, 1) }} = 'Z' then 1
            when substring({{ text }}, {{ length }} - 5, 1) in ('+', '-') then 6
            when substring({{ text }}, {{ length }} - 4, 1) in ('+', '-') then 5
            else 3
        end
    {%- endset -%}
    {%- set suffix = dbt.right(text, suffix_length) -%}
    {%- set wall_clock = try_cast('substring(' ~ text ~ ', 1, ' ~ length ~ ' - ' ~ suffix_length ~ ')', dbt.type_timestamp()) -%}
    {%- set offset_minutes -%}
        case
            when {{ suffix }} = 'Z' then 0
            else
                (case when substring({{ suffix }}, 1, 1) = '-' then -1 else 1 end)
                * (
                    cast(substring({{ suffix }}, 2, 2) as integer) * 60
                    + case
                        when {{ dbt.length(suffix) }} = 6 then cast(substring({{ suffix }}, 5, 2) as integer)
                        when {{ dbt.length(suffix) }} = 5 then cast(substring({{ suffix }}, 4, 2) as integer)
                        else 0
                    end
                )
        end
    {%- endset -%}
    {{ dbt.dateadd('minute', '-1 * (' ~ offset_minutes ~ ')', wall_clock) }}
{%- endmacro %}
