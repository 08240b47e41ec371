{#- A column of an input file (`column`, already quoted, of the engine's type `data_type`) as
    the contract's text (docs/input_contract.md), so a typed Parquet export reads like a CSV one:
      timestamp with time zone → UTC with an explicit offset 'YYYY-MM-DD HH:MM:SS[.ffffff]+00:00',
                                 whatever the session time zone;
      timestamp (no zone)      → 'YYYY-MM-DD HH:MM:SS[.ffffff]' (the fraction only when not 0);
      date                     → 'YYYY-MM-DD';
      decimal, integer         → plain decimal text;
      double, float            → the shortest text that reads back as the same number, written
                                 without an exponent (1e-07 → '0.0000001');
      boolean                  → 'true' / 'false';
      anything else (text)     → cast to text. -#}
{% macro raw_value_as_text(column, data_type) %}
    {{ return(adapter.dispatch('raw_value_as_text', 'sales_kpi_warehouse')(column, (data_type or '') | string | lower | trim)) }}
{% endmacro %}

{% macro default__raw_value_as_text(column, data_type) %}
    {%- set text = dbt.type_string() -%}
    {%- if data_type in ('varchar', 'text', 'string') or data_type.startswith('varchar') -%}
        {{ return(column) }}
    {%- elif data_type in ('timestamp with time zone', 'timestamptz') -%}
        {{ return(raw_timestamp_text("timezone('UTC', " ~ column ~ ")") ~ " || '+00:00'") }}
    {%- elif data_type.startswith('timestamp') -%}
        {{ return(raw_timestamp_text("cast(" ~ column ~ " as timestamp)")) }}
    {%- elif data_type in ('double', 'float', 'real', 'float4', 'float8') -%}
        {{ return(plain_number_text("cast(" ~ column ~ " as " ~ text ~ ")")) }}
    {%- elif data_type == 'boolean' -%}
        {{ return("case when " ~ column ~ " then 'true' when not " ~ column ~ " then 'false' end") }}
    {%- endif -%}
    {#- date, decimal(p, s), integers: the engine's text is already the contract's -#}
    {{ return("cast(" ~ column ~ " as " ~ text ~ ")") }}
{% endmacro %}

{#- Spark: TIMESTAMP is an instant shown in the session time zone, so it is shifted to UTC
    first; TIMESTAMP_NTZ is a wall-clock time. -#}
{% macro spark__raw_value_as_text(column, data_type) %}
    {%- if data_type == 'timestamp' -%}
        {{ return(raw_timestamp_text("to_utc_timestamp(" ~ column ~ ", current_timezone())") ~ " || '+00:00'") }}
    {%- elif data_type == 'timestamp_ntz' -%}
        {{ return(raw_timestamp_text(column)) }}
    {%- elif data_type in ('double', 'float') -%}
        {{ return(plain_number_text("cast(" ~ column ~ " as string)")) }}
    {%- elif data_type.startswith('decimal') -%}
        {#- Spark writes a decimal below 1e-6 with an exponent: strip it the same way -#}
        {{ return(plain_number_text("cast(" ~ column ~ " as string)")) }}
    {%- elif data_type == 'boolean' -%}
        {{ return("case when " ~ column ~ " then 'true' when not " ~ column ~ " then 'false' end") }}
    {%- endif -%}
    {{ return("cast(" ~ column ~ " as string)") }}
{% endmacro %}

{#- A timestamp (without time zone) as 'YYYY-MM-DD HH:MM:SS', with '.ffffff' when the
    fraction of a second is not 0. -#}
{% macro raw_timestamp_text(timestamp) %}
    {{ return(adapter.dispatch('raw_timestamp_text', 'sales_kpi_warehouse')(timestamp)) }}
{% endmacro %}

{% macro default__raw_timestamp_text(timestamp) %}
    {{ return("case when date_trunc('second', " ~ timestamp ~ ") = " ~ timestamp
        ~ " then strftime(" ~ timestamp ~ ", '%Y-%m-%d %H:%M:%S') else strftime(" ~ timestamp ~ ", '%Y-%m-%d %H:%M:%S.%f') end") }}
{% endmacro %}

{% macro postgres__raw_timestamp_text(timestamp) %}
    {{ return("case when date_trunc('second', " ~ timestamp ~ ") = " ~ timestamp
        ~ " then to_char(" ~ timestamp ~ ", 'YYYY-MM-DD HH24:MI:SS') else to_char(" ~ timestamp ~ ", 'YYYY-MM-DD HH24:MI:SS.US') end") }}
{% endmacro %}

{% macro spark__raw_timestamp_text(timestamp) %}
    {{ return("case when date_trunc('second', " ~ timestamp ~ ") = " ~ timestamp
        ~ " then date_format(" ~ timestamp ~ ", 'yyyy-MM-dd HH:mm:ss') else date_format(" ~ timestamp ~ ", 'yyyy-MM-dd HH:mm:ss.SSSSSS') end") }}
{% endmacro %}

{#- A number's text (`text`: what the engine writes, e.g. '1e-07', '1.5e+20', '1.0E-7',
    '13485.24') without an exponent: the mantissa's digits with the decimal point moved by the
    exponent ('1.5e+20' → '150000000000000000000', '2.5e-05' → '0.000025'). Text without an
    exponent ('nan', 'inf' included) is returned as it is. -#}
{% macro plain_number_text(text) %}
    {%- set lowered = "lower(" ~ text ~ ")" -%}
    {%- set mantissa = "replace(split_part(" ~ lowered ~ ", 'e', 1), '-', '')" -%}
    {%- set exponent = "cast(split_part(" ~ lowered ~ ", 'e', 2) as integer)" -%}
    {#- the mantissa's digits without the point and without trailing zeros ('1.0' → '1') -#}
    {%- set digits = "regexp_replace(replace(" ~ mantissa ~ ", '.', ''), '0+$', '')" -%}
    {%- set integer_digits = "(case when instr(" ~ mantissa ~ ", '.') > 0 then instr(" ~ mantissa ~ ", '.') - 1 else length(" ~ mantissa ~ ") end)" -%}
    {%- set point = "(" ~ integer_digits ~ " + " ~ exponent ~ ")" -%}
    {%- set shifted -%}
        case
            when {{ point }} <= 0 then '0.' || repeat('0', -{{ point }}) || {{ digits }}
            when {{ point }} >= length({{ digits }}) then {{ digits }} || repeat('0', {{ point }} - length({{ digits }}))
            else left({{ digits }}, {{ point }}) || '.' || substr({{ digits }}, {{ point }} + 1)
        end
    {%- endset -%}
    {{ return("case when instr(" ~ lowered ~ ", 'e') = 0 then " ~ text
        ~ " else (case when " ~ lowered ~ " like '-%' then '-' else '' end) || " ~ shifted ~ " end") }}
{% endmacro %}
