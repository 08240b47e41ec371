{#- Helpers of the HubSpot adapter models (models/adapters/hubspot/). A Fivetran HubSpot schema
    holds only the properties the portal has and the tables the connector syncs (engagement
    tables, associations, teams, merged deals are optional): each model reads a connector table
    through hubspot_table(), which gives NULL for a column the table lacks and no row for a table
    the schema lacks instead of failing, as Fivetran's own packages do (fill_staging_columns).
    Every column comes out as text, in the contract's formats. -#}

{#- The lower-case column names of source('hubspot', table_name); [] while parsing or when the
    schema has no such table. -#}
{% macro hubspot_columns(table_name) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(source('hubspot', table_name)) -%}
    {{ return(columns | map(attribute='name') | map('lower') | list) }}
{%- endmacro %}

{#- `column` of a HubSpot property named by var(var_name) (the property's internal name, e.g.
    hs_analytics_source → column property_hs_analytics_source); none when the var is null. -#}
{% macro hubspot_property_var(var_name) -%}
    {%- set name = var(var_name, none) -%}
    {{ return(none if name is none or name == '' else 'property_' ~ (name | lower)) }}
{%- endmacro %}

{#- One connector table as a subquery body: `columns` is a list of [alias, column or list of
    columns (the first the table has wins), kind]; kind is one of
      text       the value as text (ids, picklist values, names)
      timestamp  `YYYY-MM-DD HH:MM:SS` (a DATE stays `YYYY-MM-DD`: HubSpot date-only values
                 are calendar dates)
      number     plain decimal text
      integer    whole-number text
      flag       a boolean (not text: the adapters filter on it)
      numeric    a number (not text: for arithmetic, e.g. a call's duration in milliseconds)
      instant    a timestamp (not text: for arithmetic, e.g. a meeting's start and end)
    plus `hubspot_is_deleted`: true for a row the CRM deleted (is_deleted) or Fivetran marked
    deleted (_fivetran_deleted). A table the schema lacks gives no row (and a compile-time
    check of `required` stops with what to do). -#}
{% macro hubspot_table(table_name, columns, required=false) -%}
    {%- set present = hubspot_columns(table_name) -%}
    {%- if execute and required and present | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "input_mode hubspot: the connector table " ~ source('hubspot', table_name)
            ~ " is missing or has no column. Point vars hubspot_database / hubspot_schema at the"
            ~ " schema your Fivetran HubSpot connector writes, and sync the table " ~ table_name ~ ".") }}
    {%- endif -%}
    select
        {%- for alias, candidates, kind in columns %}
        {%- set names = [candidates] if candidates is string or candidates is none else candidates %}
        {%- set found = names | select('string') | map('lower') | select('in', present) | list %}
        {%- if execute and present and not found and names | select('string') | list -%}
            {%- do log("input_mode hubspot: " ~ table_name ~ " has no column " ~ names | select('string') | join(' or ')
                ~ ": " ~ alias ~ " stays empty (check the property name in the var that names it, if any).", info=true) -%}
        {%- endif %}
        {{ hubspot_value(found[0] if found else none, kind) }} as {{ alias }},
        {%- endfor %}
        {{ hubspot_deleted_flag(present) }} as hubspot_is_deleted
    {%- if present or not execute %}
    from {{ source('hubspot', table_name) }}
    {%- else %}
    from (select 1 as no_table) as missing_table
    where 1 = 0
    {%- endif %}
{%- endmacro %}

{#- `column` (or NULL) in the contract's text format of `kind` (see hubspot_table). -#}
{% macro hubspot_value(column, kind) -%}
    {%- if kind == 'flag' -%}
        {%- if column is none -%} cast(null as {{ dbt.type_boolean() }})
        {%- else -%} cast({{ column }} as {{ dbt.type_boolean() }}){%- endif -%}
    {%- elif kind == 'numeric' -%}
        cast({{ column if column is not none else 'null' }} as {{ dbt.type_numeric() }})
    {%- elif kind == 'instant' -%}
        cast({{ column if column is not none else 'null' }} as {{ dbt.type_timestamp() }})
    {%- elif column is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- elif kind == 'timestamp' -%}
        {#- DATE → YYYY-MM-DD, TIMESTAMP → YYYY-MM-DD HH:MM:SS (fractional seconds dropped) -#}
        left(cast({{ column }} as {{ dbt.type_string() }}), 19)
    {%- elif kind == 'number' -%}
        cast(cast({{ column }} as {{ dbt.type_numeric() }}) as {{ dbt.type_string() }})
    {%- elif kind == 'integer' -%}
        cast(cast(round(cast({{ column }} as {{ dbt.type_numeric() }}), 0) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
    {%- else -%}
        cast({{ column }} as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- True for a deleted row: is_deleted or _fivetran_deleted true (NULL or no column = live).
    _fivetran_active is NOT a deletion flag here: in deal_stage it marks the deal's current
    stage, and every earlier stage (_fivetran_active false) is history the funnel needs. -#}
{% macro hubspot_deleted_flag(present) -%}
    {%- set flags = [] -%}
    {%- for column in ['is_deleted', '_fivetran_deleted'] if column in present -%}
        {%- do flags.append('coalesce(cast(' ~ column ~ ' as ' ~ dbt.type_boolean() ~ '), false)') -%}
    {%- endfor -%}
    {{ '(' ~ flags | join(' or ') ~ ')' if flags else 'false' }}
{%- endmacro %}

{#- A HubSpot picklist value translated through a preset seed (seeds/config/presets/hubspot/):
    the value itself when the project's mapping (shipped seed + var mapping_path) knows it, else
    the preset's contract_value when the preset knows it, else the value (staging rejects it as
    unmapped and names it). `mapping_alias` / `preset_alias` are the joined relations. -#}
{% macro hubspot_translated(value, mapping_alias, preset_alias) -%}
    case
        when {{ mapping_alias }}.source_value is null and {{ preset_alias }}.contract_value is not null
            then {{ preset_alias }}.contract_value
        else {{ value }}
    end
{%- endmacro %}
