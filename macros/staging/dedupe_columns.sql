{#- The three de-duplication flags every base model computes, from ONE window (one sort) over
    the key, newest updated_at first, then row_fingerprint:
    is_exact_copy          the previous row is identical (same fingerprint)  → exact_duplicate
    is_superseded_version  the key has a row with a later updated_at
                           (a row with no updated_at loses to one with)      → superseded_version
    is_duplicate_key       the previous row has the same key and updated_at
                           but different values (the smallest fingerprint
                           of a key and updated_at is the one staged)        → duplicate_key
    Identical rows share their key and updated_at, so copies sit next to each other in the
    window; one copy of each is not flagged. `key` is a list of partition expressions;
    `updated_at` a parsed timestamp column or none (then every row of a key is the same
    version). Three windows with three different sorts did the same ≈2.5× slower at 8 M rows.
    Base models call it through flag_duplicate_rows(), over the rows of repeated keys only. -#}
{% macro dedupe_columns(key, updated_at=none) -%}
    {%- set order = (updated_at ~ ' desc nulls last, ' if updated_at else '') ~ 'row_fingerprint' -%}
    {%- set over = 'over (partition by ' ~ key | join(', ') ~ ' order by ' ~ order ~ ')' -%}
    coalesce(lag(row_fingerprint) {{ over }} = row_fingerprint, false) as is_exact_copy,
    {% if updated_at -%}
    coalesce(
        first_value({{ updated_at }}) {{ over }} is not null
        and ({{ updated_at }} is null or {{ updated_at }} < first_value({{ updated_at }}) {{ over }}),
        false
    ) as is_superseded_version,
    coalesce(
        lag(row_fingerprint) {{ over }} <> row_fingerprint
        and (
            lag({{ updated_at }}) {{ over }} = {{ updated_at }}
            or (lag({{ updated_at }}) {{ over }} is null and {{ updated_at }} is null)
        ),
        false
    ) as is_duplicate_key
    {%- else -%}
    false as is_superseded_version,
    coalesce(lag(row_fingerprint) {{ over }} <> row_fingerprint, false) as is_duplicate_key
    {%- endif %}
{%- endmacro %}

{#- The `repeated_keys` and `flagged_rows` CTEs of a base model, on its raw rows before they are
    typed: `flagged_rows` is every row of `relation` (its `columns`), its row_fingerprint and the
    three flags of dedupe_columns(). `key` is a list of SQL expressions over the raw columns
    (the cleaned key, as typed computes it); `updated_at` a raw column or none. Only the rows
    that can be flagged — those whose key occurs more than once, or has an empty part — go
    through the window; every other row is its key's only row (no copy, no other version: all
    flags false) and streams straight on. The flags equal a window over every row, but the sort
    (a blocking step that held all full-width rows and spilled 37 GB at 10 M deals) holds only
    the few repeated keys, found by one narrow aggregate on the key.
    keyless_by_fingerprint: a row with an empty key is flagged within its own fingerprint
    (the batch_key of the incremental event models), not within the group of all keyless rows. -#}
{% macro flag_duplicate_rows(relation, columns, key, updated_at=none, keyless_by_fingerprint=false) -%}
    {%- set key_names, key_columns, same_key, key_missing = [], [], [], [] -%}
    {%- for expression in key -%}
        {%- set name = 'dedupe_key_' ~ loop.index -%}
        {%- do key_names.append(name) -%}
        {%- do key_columns.append(expression ~ ' as ' ~ name) -%}
        {%- do same_key.append('repeated_keys.' ~ name ~ ' = ' ~ expression) -%}
        {%- do key_missing.append(expression ~ ' is null') -%}
    {%- endfor -%}
    {%- if keyless_by_fingerprint -%}
        {%- set partition = ['coalesce(' ~ key_names[0] ~ ', ' ~ dbt.concat(["'#'", 'row_fingerprint']) ~ ')'] + key_names[1:] -%}
    {%- else -%}
        {%- set partition = key_names -%}
    {%- endif -%}
repeated_keys as (
    select {{ key_names | join(', ') }}
    from (
        select {{ key_columns | join(', ') }}
        from {{ relation }}
    ) as row_keys
    group by {{ key_names | join(', ') }}
    having count(*) > 1
),

flagged_rows as (
    select
        {{ columns | join(', ') }},
        {{ row_fingerprint(columns) }} as row_fingerprint,
        false as is_exact_copy,
        false as is_superseded_version,
        false as is_duplicate_key
    from {{ relation }}
    left join repeated_keys
        on {{ same_key | join(' and ') }}
    where repeated_keys.{{ key_names[0] }} is null and not ({{ key_missing | join(' or ') }})
    union all
    select
        {{ columns | join(', ') }},
        row_fingerprint,
        {{ dedupe_columns(partition, 'dedupe_updated_at' if updated_at else none) }}
    from (
        select
            {{ columns | join(', ') }},
            {{ row_fingerprint(columns) }} as row_fingerprint,
            {% if updated_at -%}
            {{ parse_timestamp(relation ~ '.' ~ updated_at) }} as dedupe_updated_at,
            {% endif -%}
            {{ key_columns | join(', ') }}
        from {{ relation }}
        left join repeated_keys
            on {{ same_key | join(' and ') }}
        where repeated_keys.{{ key_names[0] }} is not null or {{ key_missing | join(' or ') }}
    ) as repeated_rows
),
{%- endmacro %}
