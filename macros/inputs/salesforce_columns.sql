{#- Helpers of the Salesforce adapter models (models/adapters/salesforce/). A Fivetran
    Salesforce schema holds only the fields the org has (and the connector syncs): each model reads
    the column list of its connector table once (salesforce_columns) and asks for a column
    through these macros, which give NULL for a column the table lacks instead of failing, as
    Fivetran's own packages do (fill_staging_columns). -#}

{#- The lower-case column names of source('salesforce', table_name); [] while parsing. A
    missing table stops the compilation with what to do, unless required=false (a table the org
    may not sync, e.g. product_2): then []. -#}
{% macro salesforce_columns(table_name, required=true) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set relation = source('salesforce', table_name) -%}
    {%- set columns = adapter.get_columns_in_relation(relation) -%}
    {%- if columns | length == 0 and required -%}
        {{ exceptions.raise_compiler_error(
            "input_mode salesforce: the connector table " ~ relation ~ " is missing or has no column."
            ~ " Point vars salesforce_database / salesforce_schema at the schema your Fivetran"
            ~ " Salesforce connector writes, and sync the table " ~ table_name ~ ".") }}
    {%- endif -%}
    {{ return(columns | map(attribute='name') | map('lower') | list) }}
{%- endmacro %}

{#- `prefix.column` as text, or a NULL text when the table lacks the column. -#}
{% macro salesforce_text(columns, column, prefix=none) -%}
    {%- if column | lower in columns -%}
        cast({{ (prefix ~ '.') if prefix else '' }}{{ column }} as {{ dbt.type_string() }})
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- `prefix.column` as a number (for ordering), or a NULL number when the table lacks it. -#}
{% macro salesforce_number(columns, column, prefix=none) -%}
    {%- if column | lower in columns -%}
        cast({{ (prefix ~ '.') if prefix else '' }}{{ column }} as {{ dbt.type_numeric() }})
    {%- else -%}
        cast(null as {{ dbt.type_numeric() }})
    {%- endif -%}
{%- endmacro %}

{#- A Salesforce date or date-only field (close_date, converted_date) as `YYYY-MM-DD`: Fivetran
    lands dates as DATE or as a midnight TIMESTAMP; either way the calendar date as written. -#}
{% macro salesforce_date_text(columns, column, prefix=none) -%}
    {%- if column | lower in columns -%}
        substring(cast({{ (prefix ~ '.') if prefix else '' }}{{ column }} as {{ dbt.type_string() }}), 1, 10)
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- The custom field named by var(var_name) as text; NULL when the var is null. A var naming a
    column the table does not have stops the compilation with what to do. -#}
{% macro salesforce_custom_text(columns, var_name, table_name, prefix=none) -%}
    {%- set column = var(var_name, none) -%}
    {%- if column is none or column == '' -%}
        cast(null as {{ dbt.type_string() }})
    {%- elif execute and column | lower not in columns -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ var_name ~ "' is '" ~ column ~ "', but the Salesforce table " ~ table_name
            ~ " has no such column. Set it to the API name of the custom field as Fivetran lands it"
            ~ " (lower case, e.g. mql_date_c), or to null when the org has no such field.") }}
    {%- else -%}
        cast({{ (prefix ~ '.') if prefix else '' }}{{ column }} as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- A boolean flag column of the connector (is_deleted, _fivetran_deleted, _fivetran_active),
    `default` when the table lacks it or the value is NULL (Fivetran leaves _fivetran_active NULL
    on tables without history mode). -#}
{% macro salesforce_flag(columns, column, default, prefix=none) -%}
    {%- if column | lower in columns -%}
        coalesce(cast({{ (prefix ~ '.') if prefix else '' }}{{ column }} as boolean), {{ 'true' if default else 'false' }})
    {%- else -%}
        {{ 'true' if default else 'false' }}
    {%- endif -%}
{%- endmacro %}

{#- True for a row the CRM deleted (is_deleted) or Fivetran marked deleted (_fivetran_deleted). -#}
{% macro salesforce_is_deleted(columns, prefix=none) -%}
    ({{ salesforce_flag(columns, 'is_deleted', false, prefix) }} or {{ salesforce_flag(columns, '_fivetran_deleted', false, prefix) }})
{%- endmacro %}

{#- True for a row that is not the current version of a history-mode table (_fivetran_active
    false); NULL or no such column = current. -#}
{% macro salesforce_is_inactive(columns, prefix=none) -%}
    (not {{ salesforce_flag(columns, '_fivetran_active', true, prefix) }})
{%- endmacro %}

{#- True for a row an adapter passes on: not deleted and the current version. -#}
{% macro salesforce_is_live(columns, prefix=none) -%}
    (not {{ salesforce_is_deleted(columns, prefix) }} and not {{ salesforce_is_inactive(columns, prefix) }})
{%- endmacro %}

{#- The column that says when Salesforce last changed a row: system_modstamp, else
    last_modified_date, else NULL. -#}
{% macro salesforce_updated_at(columns, prefix=none) -%}
    {%- if 'system_modstamp' in columns -%}
        {{ salesforce_text(columns, 'system_modstamp', prefix) }}
    {%- else -%}
        {{ salesforce_text(columns, 'last_modified_date', prefix) }}
    {%- endif -%}
{%- endmacro %}

{#- A picklist value translated through a preset seed (seeds/config/presets/salesforce/): the
    value itself when the project's mapping (shipped seed + var mapping_path) already knows it,
    else the preset's contract_value when the preset knows it, else the value (staging rejects it
    as unmapped). `mapping_alias` / `preset_alias` are the joined relations. -#}
{% macro salesforce_translated(value, mapping_alias, preset_alias) -%}
    case
        when {{ mapping_alias }}.source_value is null and {{ preset_alias }}.contract_value is not null
            then {{ preset_alias }}.contract_value
        else {{ value }}
    end
{%- endmacro %}

{#- `source('salesforce', table_name)` when the table exists (`columns` non-empty), else an
    empty relation, for a table the org may not sync (read with salesforce_columns(..., false)). -#}
{% macro salesforce_optional_source(table_name, columns) -%}
    {%- if columns or not execute -%}
        {{ source('salesforce', table_name) }}
    {%- else -%}
        (select 1 as no_table where 1 = 0)
    {%- endif -%}
{%- endmacro %}
