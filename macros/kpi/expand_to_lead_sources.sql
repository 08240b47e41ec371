{#- The lead-source companion of expand_to_scopes: sum `measures` of `relation` (a CTE with the
    columns lead_source, month_start and the measures) per lead source and month, company-wide,
    as rows of the KPI scope `lead_source` (scope_id and scope_name are the lead source), so
    they union with expand_to_scopes' rows into one scope-month table.
    Output: scope, scope_id, scope_name, month_start, <measures>. -#}
{% macro expand_to_lead_sources(relation, measures) -%}
    select
        'lead_source' as scope,
        lead_source as scope_id,
        lead_source as scope_name,
        month_start,
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    group by lead_source, month_start
{%- endmacro %}
