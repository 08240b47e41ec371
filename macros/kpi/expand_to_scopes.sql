{#- Sum event-level measures per month at every KPI scope: one `select … group by` per scope
    (rep, team, company), unioned. `relation` (a CTE name) must have the columns rep_id,
    rep_name, team_id, team_name, month_start and every column in `measures`; the rep's team is
    the one on the event date, so a rep who moves team counts for the old team before the move.
    Optional: `dimensions` (columns kept as extra grouping keys, e.g. ['lead_source'] for a
    companion table) and `scopes` (the subset of rep/team/company to produce, e.g. the growth
    family's ['team', 'company']).
    Output: scope, scope_id, scope_name, <dimensions>, month_start, <measures>. -#}
{% macro expand_to_scopes(relation, measures, dimensions=[], scopes=['rep', 'team', 'company']) -%}
    {%- set all_scopes = [
        ('rep', 'rep_id', 'rep_name'),
        ('team', 'team_id', 'team_name'),
        ('company', "'company'", sql_string_literal(var('company_name'))),
    ] -%}
    {%- set selected = [] -%}
    {%- for scope_spec in all_scopes if scope_spec[0] in scopes -%}
        {%- do selected.append(scope_spec) -%}
    {%- endfor -%}
    {%- for scope, id_column, name_column in selected %}
    select
        '{{ scope }}' as scope,
        {{ id_column }} as scope_id,
        max({{ name_column }}) as scope_name,
        {%- for dimension in dimensions %}
        {{ dimension }},
        {%- endfor %}
        month_start,
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    group by {% if scope != 'company' %}{{ id_column }}, {% endif %}{% for dimension in dimensions %}{{ dimension }}, {% endfor %}month_start
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
