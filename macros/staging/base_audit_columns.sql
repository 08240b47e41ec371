{#- The audit and reason columns a base model's `validated` CTE (over `relation`, its
    flagged_rows) ends with. `key_checks` are dedupe_checks(): missing key and the three
    duplicate flags; the row checks were evaluated before de-duplication, in the `checked` CTE,
    as row_reason_code / row_reason_codes / row_reason_texts.
    - row_fingerprint and the three flags;
    - raw_values for a rejected row only (rejected_rows is its one reader: at 10 M deals writing
      the JSON of all 80.6 M activity rows cost 55 s of base_crm__activities' 240 s);
    - reason_code: the first failed check (key and duplicate checks first, then the row's own),
      reason_codes and reason_text: every failed check, '; '-separated. -#}
{% macro base_audit_columns(relation, key_checks) -%}
    {%- set reason_code = 'coalesce(' ~ first_failed_check(key_checks, 'code') ~ ', ' ~ relation ~ '.row_reason_code)' -%}
    {{ relation }}.row_fingerprint,
    {{ relation }}.is_exact_copy,
    {{ relation }}.is_superseded_version,
    {{ relation }}.is_duplicate_key,
    case when {{ reason_code }} is not null then {{ relation }}.raw_values end as raw_values,
    {{ reason_code }} as reason_code,
    {{ joined_reasons(all_failed_checks(key_checks, 'text'), relation ~ '.row_reason_texts') }} as reason_text,
    {{ joined_reasons(all_failed_checks(key_checks, 'code'), relation ~ '.row_reason_codes') }} as reason_codes
{%- endmacro %}

{#- Two '; '-separated lists (either may be NULL) as one. -#}
{% macro joined_reasons(first, second) -%}
    case
        when ({{ first }}) is null then {{ second }}
        when {{ second }} is null then {{ first }}
        else {{ dbt.concat(['(' ~ first ~ ')', "'; '", second]) }}
    end
{%- endmacro %}

{#- The columns a base model's `checked` CTE carries from `relation` (its typed rows) into the
    de-duplication: the fingerprint, the raw values, whether the key repeats
    (mark_repeated_keys) and the outcome of the row checks — the first failed one
    (row_reason_code; NULL = valid), all of them as codes and as texts — built only for a row that
    fails, as a valid row (nearly all of them) has none. A table with no row checks (only its key
    can reject a row, e.g. products) gets the three as NULL. -#}
{% macro row_check_columns(relation, row_checks) -%}
    {{ relation }}.row_fingerprint,
    {{ relation }}.raw_values,
    {{ relation }}.is_repeated_key,
    {%- if not row_checks %}
    cast(null as {{ dbt.type_string() }}) as row_reason_code,
    cast(null as {{ dbt.type_string() }}) as row_reason_codes,
    cast(null as {{ dbt.type_string() }}) as row_reason_texts
    {%- else %}
    {%- set row_reason_code = first_failed_check(row_checks, 'code') %}
    {{ row_reason_code }} as row_reason_code,
    case when {{ row_reason_code }} is not null then {{ all_failed_checks(row_checks, 'code') }} end as row_reason_codes,
    case when {{ row_reason_code }} is not null then {{ all_failed_checks(row_checks, 'text') }} end as row_reason_texts
    {%- endif %}
{%- endmacro %}
