{#- A portable type name as Spark spells it: `varchar` and `text` → `string`, `double precision`
    → `double`; anything else unchanged. The project writes one spelling in contracts and seed
    column_types (`varchar`, `double precision`, ...) that DuckDB and PostgreSQL read as is; the
    Spark overrides of dbt's seed and contract macros pass every declared type through this. -#}
{% macro spark_type(data_type) -%}
    {%- set declared = (data_type or '') | string | lower | trim -%}
    {{ return({'varchar': 'string', 'text': 'string', 'double precision': 'double'}.get(declared, data_type)) }}
{%- endmacro %}
