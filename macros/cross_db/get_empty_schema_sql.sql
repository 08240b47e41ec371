{#- Contract data types, one spelling for every engine. A mart's YAML declares `varchar`,
    `double precision`, `decimal(p, s)`, `bigint`, `integer`, `date`, `timestamp`, `boolean`:
    DuckDB and PostgreSQL read them as they are. dbt checks a contract by casting NULL to each
    declared type and comparing the result with the model's columns; Spark has no bare
    `varchar`, no `text` and no `double precision`, so here each declared type is first read
    through spark_type(). Overrides dbt's dispatched get_empty_schema_sql for Spark only. -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set translated = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set spark_column = column.copy() -%}
        {%- if column.get('data_type') -%}
            {%- do spark_column.update({'data_type': spark_type(column['data_type'])}) -%}
        {%- endif -%}
        {%- do translated.update({name: spark_column}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(translated)) }}
{%- endmacro %}
