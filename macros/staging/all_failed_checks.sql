{#- Every validation check a row fails, as one text: the distinct reason codes (output='code')
    or texts (output='text') in check order, separated by '; '; NULL when it passes all. Checks
    sharing a code count once in the code list. `checks` as for first_failed_check(). -#}
{% macro all_failed_checks(checks, output='code') -%}
    {%- set conditions = {} -%}
    {%- set labels = [] -%}
    {%- for check in checks -%}
        {%- set label = check[output] -%}
        {%- if label in conditions -%}
            {%- do conditions.update({label: conditions[label] ~ ' or (' ~ check.when ~ ')'}) -%}
        {%- else -%}
            {%- do labels.append(label) -%}
            {%- do conditions.update({label: '(' ~ check.when ~ ')'}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- for label in labels -%}
        {%- do parts.append("case when " ~ conditions[label] ~ " then '; " ~ label | replace("'", "''") ~ "' else '' end") -%}
    {%- endfor -%}
    nullif(substring({{ dbt.concat(parts) }}, 3), '')
{%- endmacro %}
