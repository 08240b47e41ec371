{#- Seeds on Spark: dbt-spark's create_csv_table with every column_types entry read through
    spark_type(), so a seed YAML may declare `varchar` (Spark has no bare varchar). Overrides
    dbt's dispatched create_csv_table for Spark only; the rest is dbt-spark's own. -#}
{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set columns = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- set type = spark_type(column_override.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
        {%- do columns.append(adapter.quote_seed_column(column_name | string, quote_seed_column) ~ ' ' ~ type) -%}
    {%- endfor -%}
    {% set sql %}
        create table {{ this.render() }} ({{ columns | join(', ') }})
        {{ file_format_clause() }}
        {{ partition_cols(label="partitioned by") }}
        {{ clustered_cols(label="clustered by") }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {% endset %}
    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}
    {{ return(sql) }}
{% endmacro %}
