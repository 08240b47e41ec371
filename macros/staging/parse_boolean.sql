{#- A CRM boolean: true/false, 1/0, yes/no, y/n, t/f in any case; anything else → NULL. -#}
{% macro parse_boolean(column) -%}
    case
        when lower(trim({{ column }})) in ('true', '1', 'yes', 'y', 't') then true
        when lower(trim({{ column }})) in ('false', '0', 'no', 'n', 'f') then false
    end
{%- endmacro %}
