{#- The three window columns every base model uses to de-duplicate a raw table:
    copy_number        > 1 for the 2nd, 3rd… exact copy of a row         → exact_duplicate
    version_rank       > 1 for rows older than the key's latest export   → superseded_version
    same_version_rank  > 1 for a different row with the same key and the
                       same updated_at (or no updated_at at all)         → duplicate_key
    `key` is a column list; `updated_at` a parsed timestamp column or none. -#}
{% macro dedupe_columns(key, updated_at=none) -%}
    {%- set key_list = key | join(', ') -%}
    row_number() over (partition by row_fingerprint order by row_fingerprint) as copy_number,
    {% if updated_at -%}
    dense_rank() over (partition by {{ key_list }} order by {{ updated_at }} desc nulls last) as version_rank,
    dense_rank() over (partition by {{ key_list }}, {{ updated_at }} order by row_fingerprint) as same_version_rank
    {%- else -%}
    1 as version_rank,
    dense_rank() over (partition by {{ key_list }} order by row_fingerprint) as same_version_rank
    {%- endif %}
{%- endmacro %}
