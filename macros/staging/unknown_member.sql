{#- The label of the explicit unknown member: an empty dimension value (lead source, segment,
    region, …) in staging, and in the intermediate layer a reference to a rep, team or account
    that is empty or names no staged row. Rows keep counting under it (listed in dq_findings);
    a join on it never loses them. -#}
{% macro unknown_member() -%}
    '(unknown)'
{%- endmacro %}
