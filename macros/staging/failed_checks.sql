{#- The reason columns of a base model, from its check columns. A check column is a SQL `case`
    expression written in the model, named <reason code>__<what it checks> and holding the
    check's reason text when the row fails it (NULL when it passes). `checks` lists the check
    column names in check order. Codes come from the closed list in docs/input_contract.md (a
    data test enforces it). -#}

{#- The first check the row fails, as its reason code; NULL when it passes all. -#}
{% macro first_failed_check(checks) -%}
    case
    {%- for check in checks %}
        when {{ check }} is not null then '{{ check.split('__')[0] }}'
    {%- endfor %}
    end
{%- endmacro %}

{#- Every check the row fails, '; '-separated, NULL when it passes all: output='text' the reason
    texts in check order; output='code' the reason codes, each once, in the order a code first
    appears in `checks`. -#}
{% macro failed_checks(checks, output='code') -%}
    {%- set parts = [] -%}
    {%- if output == 'text' -%}
        {%- for check in checks -%}
            {%- do parts.append('coalesce(' ~ dbt.concat(["'; '", check]) ~ ", '')") -%}
        {%- endfor -%}
    {%- else -%}
        {%- set codes = [] -%}
        {%- for check in checks if check.split('__')[0] not in codes -%}
            {%- do codes.append(check.split('__')[0]) -%}
        {%- endfor -%}
        {%- for code in codes -%}
            {%- set failed = [] -%}
            {%- for check in checks if check.split('__')[0] == code -%}
                {%- do failed.append(check ~ ' is not null') -%}
            {%- endfor -%}
            {%- do parts.append('case when ' ~ failed | join(' or ') ~ " then '; " ~ code ~ "' else '' end") -%}
        {%- endfor -%}
    {%- endif -%}
    case when coalesce({{ checks | join(', ') }}) is not null then nullif(substring({{ dbt.concat(parts) }}, 3), '') end
{%- endmacro %}

{#- The four columns a base model ends with, from its check columns (`checks`, in check order)
    over `relation` (the CTE holding them and raw_values): raw_values, kept for a rejected row
    only (rejected_rows is its one reader); reason_code, the first check the row fails;
    reason_text and reason_codes, every check it fails. All NULL for a staged row. -#}
{% macro rejection_columns(checks, relation) -%}
    case when {{ first_failed_check(checks) }} is not null then {{ relation }}.raw_values end as raw_values,
        {{ first_failed_check(checks) }} as reason_code,
        {{ failed_checks(checks, 'text') }} as reason_text,
        {{ failed_checks(checks, 'code') }} as reason_codes
{%- endmacro %}
