{#- De-duplication of a base model, as whole selects its CTEs are written with. -#}

{#- Every row of `relation` (raw rows) and is_repeated_key: true when its key occurs more than
    once. `key` is a list of SQL expressions over the raw columns (the cleaned key, as the typed
    CTE computes it). One narrow aggregate on the key finds the repeated keys, so only their
    rows go through the sort of deduplicate(): the sort (a blocking step that held all
    full-width rows and spilled 37 GB at 10 M deals) holds the few repeated keys only. A keyless
    row is never repeated (it is rejected as missing_key). -#}
{% macro mark_repeated_keys(relation, key) -%}
    {%- set key_names, key_columns, same_key, key_present = [], [], [], [] -%}
    {%- for expression in key -%}
        {%- set name = 'dedupe_key_' ~ loop.index -%}
        {%- do key_names.append(name) -%}
        {%- do key_columns.append(expression ~ ' as ' ~ name) -%}
        {%- do same_key.append('repeated_keys.' ~ name ~ ' = ' ~ expression) -%}
        {%- do key_present.append(expression ~ ' is not null') -%}
    {%- endfor -%}
    select
        {{ relation }}.*,
        repeated_keys.{{ key_names[0] }} is not null as is_repeated_key
    from {{ relation }}
    left join (
        select {{ key_names | join(', ') }}
        from (
            select {{ key_columns | join(', ') }}
            from {{ relation }}
            where {{ key_present | join(' and ') }}
        ) as row_keys
        group by {{ key_names | join(', ') }}
        having count(*) > 1
    ) as repeated_keys
        on {{ same_key | join(' and ') }}
{%- endmacro %}

{#- Every row of `relation` (typed rows with is_repeated_key, row_fingerprint and the row check
    columns `row_checks`) and the three flags of duplicate_flag(). A row of a key that occurs
    once streams straight on with all flags false; only the rows of repeated keys are sorted.
    `key`: the typed key columns; `updated_at`: a typed timestamp column or none. -#}
{% macro deduplicate(relation, key, updated_at=none, row_checks=[]) -%}
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
        {{ duplicate_flag('is_exact_copy', key, updated_at, row_checks) }} as is_exact_copy,
        {{ duplicate_flag('is_superseded_version', key, updated_at, row_checks) }} as is_superseded_version,
        {{ duplicate_flag('is_duplicate_key', key, updated_at, row_checks) }} as is_duplicate_key
    from {{ relation }}
    where {{ relation }}.is_repeated_key
{%- endmacro %}

{#- One de-duplication flag, as a window expression over the rows of a repeated key. All three
    share ONE window (one sort) over `key`: rows that pass every row check first (a row is valid
    when all its `row_checks` columns are NULL), then the newest `updated_at` (none: every row
    of a key is the same version), then row_fingerprint. Only a valid row is ever flagged, and
    only against the valid rows before it, so an invalid row never wins a duplicate or version
    contest: it is rejected for its own reasons and the newest valid row of the key is staged.
    is_exact_copy          the previous valid row is identical (same fingerprint)
    is_superseded_version  the key has a valid row with a later updated_at
                           (a row with no updated_at loses to one with)
    is_duplicate_key       the previous valid row has the same updated_at but different values
                           (the smallest fingerprint of a key and updated_at is the one staged) -#}
{% macro duplicate_flag(flag, key, updated_at=none, row_checks=[]) -%}
    {%- if row_checks | length == 0 -%}
        {%- set valid = 'true' -%}
    {%- elif row_checks | length == 1 -%}
        {%- set valid = row_checks[0] ~ ' is null' -%}
    {%- else -%}
        {%- set valid = 'coalesce(' ~ row_checks | join(', ') ~ ') is null' -%}
    {%- endif -%}
    {%- set order = 'case when ' ~ valid ~ ' then 0 else 1 end, '
        ~ (updated_at ~ ' desc nulls last, ' if updated_at else '') ~ 'row_fingerprint' -%}
    {%- set over = 'over (partition by ' ~ key | join(', ') ~ ' order by ' ~ order ~ ')' -%}
    {%- if flag == 'is_exact_copy' -%}
    coalesce({{ valid }} and lag(row_fingerprint) {{ over }} = row_fingerprint, false)
    {%- elif flag == 'is_superseded_version' and updated_at -%}
    coalesce(
        {{ valid }}
        and first_value({{ updated_at }}) {{ over }} is not null
        and ({{ updated_at }} is null or {{ updated_at }} < first_value({{ updated_at }}) {{ over }}),
        false
    )
    {%- elif flag == 'is_superseded_version' -%}
    false
    {%- elif flag == 'is_duplicate_key' and updated_at -%}
    coalesce(
        {{ valid }}
        and lag(row_fingerprint) {{ over }} <> row_fingerprint
        and (
            lag({{ updated_at }}) {{ over }} = {{ updated_at }}
            or (lag({{ updated_at }}) {{ over }} is null and {{ updated_at }} is null)
        ),
        false
    )
    {%- elif flag == 'is_duplicate_key' -%}
    coalesce({{ valid }} and lag(row_fingerprint) {{ over }} <> row_fingerprint, false)
    {%- else -%}
    {{ exceptions.raise_compiler_error("duplicate_flag: flag '" ~ flag ~ "' is not one of is_exact_copy, is_superseded_version, is_duplicate_key") }}
    {%- endif -%}
{%- endmacro %}

{#- The names of the key checks every base model runs after deduplicate(), in the order their
    reasons are given (before the row checks). -#}
{% macro key_check_names() -%}
    {%- do return([
        'missing_key__key_empty', 'exact_duplicate__copy', 'superseded_version__later_export',
        'duplicate_key__same_updated_at',
    ]) -%}
{%- endmacro %}

{#- The key check columns of a base model (key_check_names()), as expressions over `relation`
    (the deduplicated CTE): the reason text when the row fails the check, else NULL. A row with
    a key column empty fails missing_key only; the others read the flags of deduplicate().
    `key`: the typed key columns. -#}
{% macro key_check_columns(relation, key) -%}
    {%- set key_missing, key_present = [], [] -%}
    {%- for column in key -%}
        {%- do key_missing.append(relation ~ '.' ~ column ~ ' is null') -%}
        {%- do key_present.append(relation ~ '.' ~ column ~ ' is not null') -%}
    {%- endfor -%}
    {%- set has_key = key_present | join(' and ') -%}
    case
            when {{ key_missing | join(' or ') }} then 'key column(s) {{ key | join(", ") }} empty'
        end as missing_key__key_empty,
        case
            when {{ has_key }} and {{ relation }}.is_exact_copy
                then 'exact copy of another row; one copy is staged'
        end as exact_duplicate__copy,
        case
            when {{ has_key }} and {{ relation }}.is_superseded_version
                then 'a valid export of the same key with a later updated_at is staged'
        end as superseded_version__later_export,
        case
            when {{ has_key }} and {{ relation }}.is_duplicate_key then
                'another valid row has the same key and updated_at but different values; the one with the smallest fingerprint is staged'
        end as duplicate_key__same_updated_at
{%- endmacro %}
