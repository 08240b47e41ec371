{#- A hash of a text expression as a positive integer below 2^32, on every engine: for
    fingerprints that are summed (a set's fingerprint is the sum of its members' hashes, so it
    can be built up and taken apart with running sums). Equal texts give equal integers; the
    engines need not agree with each other, as a fingerprint is only compared on the engine that
    stored it. -#}
{% macro integer_hash(text_expression) -%}
    {{ return(adapter.dispatch('integer_hash', 'sales_kpi_warehouse')(text_expression)) }}
{%- endmacro %}

{% macro default__integer_hash(text_expression) -%}
    (mod(hashtextextended({{ text_expression }}, 0), 2147483629) + 2147483629)
{%- endmacro %}

{% macro duckdb__integer_hash(text_expression) -%}
    cast(hash({{ text_expression }}) % 4294967291 + 1 as bigint)
{%- endmacro %}

{% macro spark__integer_hash(text_expression) -%}
    (pmod(xxhash64({{ text_expression }}), 4294967291) + 1)
{%- endmacro %}
