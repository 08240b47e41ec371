{#- The audit columns a base model's `validated` CTE carries over from `relation` (its typed
    rows): row_fingerprint, the three de-duplication flags of dedupe_columns(), and raw_values
    for a rejected row only. rejected_rows is the one reader of raw_values, so a staged row
    (no check in `checks` fails) stores NULL: at 10 M deals writing the JSON of all 80.6 M
    activity rows cost 55 s of base_crm__activities' 240 s. -#}
{% macro base_audit_columns(relation, checks) -%}
    {{ relation }}.row_fingerprint,
    {{ relation }}.is_exact_copy,
    {{ relation }}.is_superseded_version,
    {{ relation }}.is_duplicate_key,
    case when {{ first_failed_check(checks, 'code') }} is not null then {{ relation }}.raw_values end as raw_values
{%- endmacro %}
