{#- Cast text to a type, NULL where the text does not parse (never an error), with the same
    answer on every engine: the text must first have the plain shape of the type (integers
    `[+-]digits`, decimals with an optional exponent, `YYYY-MM-DD` dates, `YYYY-MM-DD[ HH:MM[:SS[.f]]]`
    timestamps), so engine leniencies (DuckDB reads '12.5' as integer 13 and '0x10' as 16,
    PostgreSQL reads 'NaN' as a number and '01/02/2025' as a date) reject the same rows everywhere;
    then the engine's own safe cast rejects what only a calendar or a range can tell
    ('2025-02-30', 99999999999999999 in decimal(18, 2)).
    DuckDB and Spark have try_cast; PostgreSQL has none, so it calls the function
    <target schema>.try_cast_text created by create_engine_functions() at run start. -#}
{% macro try_cast(column, data_type) -%}
    {%- set type_name = data_type | lower | trim -%}
    {%- if type_name in ('integer', 'int', 'bigint', 'smallint') -%}
        {%- set shape = integer_shape() -%}
    {%- elif type_name.startswith('decimal') or type_name.startswith('numeric') or type_name in ('double', 'double precision', 'float', 'real') -%}
        {%- set shape = number_shape() -%}
    {%- elif type_name == 'date' -%}
        {%- set shape = '[0-9]{4}-[0-9]{2}-[0-9]{2}' -%}
    {%- elif type_name.startswith('timestamp') -%}
        {%- set shape = '[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?)?' -%}
    {%- else -%}
        {%- set shape = none -%}
    {%- endif -%}
    {%- set engine_cast = adapter.dispatch('try_cast', 'sales_kpi_warehouse')(column, data_type) -%}
    {%- if shape -%}
        case when {{ matches_pattern(column, shape) }} then {{ engine_cast }} end
    {%- else -%}
        {{ engine_cast }}
    {%- endif -%}
{%- endmacro %}

{% macro default__try_cast(column, data_type) -%}
    try_cast({{ column }} as {{ data_type }})
{%- endmacro %}

{% macro postgres__try_cast(column, data_type) -%}
    cast({{ target.schema }}.try_cast_text({{ column }}, '{{ data_type }}') as {{ data_type }})
{%- endmacro %}

{% macro spark__try_cast(column, data_type) -%}
    try_cast({{ column }} as {{ data_type }})
{%- endmacro %}

{#- The plain shapes of numbers in text (regular expressions for matches_pattern or Python's re):
    a whole number, `[+-]digits`; a decimal number with an optional exponent. Staging's number
    checks and var validation use the same shapes as try_cast. -#}
{% macro integer_shape() -%}
    {{ return('[+-]?[0-9]+') }}
{%- endmacro %}

{% macro number_shape() -%}
    {{ return('[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?') }}
{%- endmacro %}
