{#- The first validation check a row fails, as its reason code (output='code') or its reason
    text (output='text'); NULL when it passes all. `checks` is an ordered list of dicts
    {when: <SQL condition that means the row fails>, code: <reason code>, text: <plain text>}.
    Codes must come from the closed list in docs/input_contract.md (a data test enforces it). -#}
{% macro first_failed_check(checks, output='code') -%}
    case
    {%- for check in checks %}
        when {{ check.when }} then '{{ check[output] | replace("'", "''") }}'
    {%- endfor %}
    end
{%- endmacro %}
