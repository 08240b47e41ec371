{#- Sum event-level measures per month at every KPI scope: one `select … group by` per scope
    (rep, team, company), unioned. `relation` (a CTE name) must have the columns rep_id,
    rep_name, team_id, team_name, month_start and every column in `measures`; the rep's team is
    the one on the event date, so a rep who moves team counts for the old team before the move.
    Output: scope, scope_id, scope_name, month_start, <measures>. -#}
{% macro expand_to_scopes(relation, measures) -%}
    {%- set scopes = [
        ('rep', 'rep_id', 'rep_name'),
        ('team', 'team_id', 'team_name'),
        ('company', "'company'", "'" ~ var('company_name') ~ "'"),
    ] -%}
    {%- for scope, id_column, name_column in scopes %}
    select
        '{{ scope }}' as scope,
        {{ id_column }} as scope_id,
        max({{ name_column }}) as scope_name,
        month_start,
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    group by {% if scope != 'company' %}{{ id_column }}, {% endif %}month_start
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
