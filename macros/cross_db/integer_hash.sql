{#- A hash of the values of `expressions` (any types, NULL-safe, positional: (1, null) and
    (null, 1) differ) as a positive integer below 2^32, on every engine: for fingerprints that
    are summed (a set's fingerprint is the sum of its members' hashes, so it can be built up and
    taken apart with running sums). Equal values give equal integers; the engines need not
    agree with each other, as a fingerprint is only compared on the engine that stored it.
    DuckDB and Spark hash the typed values in one call; PostgreSQL hashes their text. -#}
{% macro integer_hash(expressions) -%}
    {{ return(adapter.dispatch('integer_hash', 'sales_kpi_warehouse')(expressions)) }}
{%- endmacro %}

{% macro default__integer_hash(expressions) -%}
    {%- set texts = [] -%}
    {%- for expression in expressions -%}
        {%- do texts.append(dbt.cast(expression, dbt.type_string())) -%}
    {%- endfor -%}
    (mod(hashtextextended({{ row_fingerprint_text(texts) }}, 0), 2147483629) + 2147483629)
{%- endmacro %}

{% macro duckdb__integer_hash(expressions) -%}
    cast(hash({{ expressions | join(', ') }}) % 4294967291 + 1 as bigint)
{%- endmacro %}

{% macro spark__integer_hash(expressions) -%}
    (pmod(xxhash64({{ expressions | join(', ') }}), 4294967291) + 1)
{%- endmacro %}
