{#- The three de-duplication flags of a base model, from ONE window (one sort) over the key:
    rows that pass every row check first (`valid`, a SQL condition), then the newest
    updated_at, then row_fingerprint. Only a valid row is ever flagged, and only against the
    valid rows before it, so an invalid row never wins a duplicate or version contest: it is
    rejected for its own reasons and the newest valid row of the key is staged.
    is_exact_copy          the previous valid row is identical (same fingerprint) → exact_duplicate
    is_superseded_version  the key has a valid row with a later updated_at
                           (a row with no updated_at loses to one with)     → superseded_version
    is_duplicate_key       the previous valid row has the same updated_at
                           but different values (the smallest fingerprint
                           of a key and updated_at is the one staged)       → duplicate_key
    `key`: the partition columns; `updated_at`: a timestamp column or none (then every row of a
    key is the same version). Base models call it through flag_duplicate_rows(). -#}
{% macro dedupe_columns(key, updated_at=none, valid='true') -%}
    {%- set order = 'case when ' ~ valid ~ ' then 0 else 1 end, '
        ~ (updated_at ~ ' desc nulls last, ' if updated_at else '') ~ 'row_fingerprint' -%}
    {%- set over = 'over (partition by ' ~ key | join(', ') ~ ' order by ' ~ order ~ ')' -%}
    coalesce({{ valid }} and lag(row_fingerprint) {{ over }} = row_fingerprint, false) as is_exact_copy,
    {% if updated_at -%}
    coalesce(
        {{ valid }}
        and first_value({{ updated_at }}) {{ over }} is not null
        and ({{ updated_at }} is null or {{ updated_at }} < first_value({{ updated_at }}) {{ over }}),
        false
    ) as is_superseded_version,
    coalesce(
        {{ valid }}
        and lag(row_fingerprint) {{ over }} <> row_fingerprint
        and (
            lag({{ updated_at }}) {{ over }} = {{ updated_at }}
            or (lag({{ updated_at }}) {{ over }} is null and {{ updated_at }} is null)
        ),
        false
    ) as is_duplicate_key
    {%- else -%}
    false as is_superseded_version,
    coalesce({{ valid }} and lag(row_fingerprint) {{ over }} <> row_fingerprint, false) as is_duplicate_key
    {%- endif %}
{%- endmacro %}

{#- The `repeated_keys` and `marked_rows` CTEs of a base model, on its raw rows before they are
    typed: `marked_rows` is every row of `relation` and is_repeated_key, true when the row's
    key occurs more than once. `key` is a list of SQL expressions over the raw columns (the
    cleaned key, as the typed CTE computes it). One narrow aggregate on the key finds the
    repeated keys, so only their rows go through the de-duplication window of
    flag_duplicate_rows(): the sort (a blocking step that held all full-width rows and spilled
    37 GB at 10 M deals) holds the few repeated keys only. A keyless row is never repeated (it
    is rejected as missing_key). -#}
{% macro mark_repeated_keys(relation, key) -%}
    {%- set key_names, key_columns, same_key, key_present = [], [], [], [] -%}
    {%- for expression in key -%}
        {%- set name = 'dedupe_key_' ~ loop.index -%}
        {%- do key_names.append(name) -%}
        {%- do key_columns.append(expression ~ ' as ' ~ name) -%}
        {%- do same_key.append('repeated_keys.' ~ name ~ ' = ' ~ expression) -%}
        {%- do key_present.append(expression ~ ' is not null') -%}
    {%- endfor -%}
repeated_keys as (
    select {{ key_names | join(', ') }}
    from (
        select {{ key_columns | join(', ') }}
        from {{ relation }}
        where {{ key_present | join(' and ') }}
    ) as row_keys
    group by {{ key_names | join(', ') }}
    having count(*) > 1
),

marked_rows as (
    select
        {{ relation }}.*,
        repeated_keys.{{ key_names[0] }} is not null as is_repeated_key
    from {{ relation }}
    left join repeated_keys
        on {{ same_key | join(' and ') }}
),
{%- endmacro %}

{#- The `flagged_rows` CTE of a base model, after its `checked` CTE (`relation`: the typed rows
    with is_repeated_key of mark_repeated_keys(), row_fingerprint and row_reason_code, the first
    row check they fail): every row and the three flags of dedupe_columns(), where a row is
    valid when row_reason_code is null — validation comes before de-duplication. `key`: the
    typed key columns; `updated_at`: a typed timestamp column or none. A row of a key that
    occurs once streams straight on with all flags false; the filter on is_repeated_key is
    pushed below the typing, so each row is typed once. -#}
{% macro flag_duplicate_rows(relation, key, updated_at=none) -%}
flagged_rows as (
    select
        {{ relation }}.*,
        false as is_exact_copy,
        false as is_superseded_version,
        false as is_duplicate_key
    from {{ relation }}
    where not {{ relation }}.is_repeated_key
    union all
    select
        {{ relation }}.*,
        {{ dedupe_columns(key, updated_at, 'row_reason_code is null') }}
    from {{ relation }}
    where {{ relation }}.is_repeated_key
),
{%- endmacro %}
