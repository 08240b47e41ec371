{#- The select that puts the scope-month measures of several relations on one spine: every row
    of `spine` (a CTE with scope, scope_id, scope_name and month_start) with the measures of each
    relation in `measures` (a dict: CTE name → its measure columns; each CTE has one row per
    scope, scope_id and month_start, e.g. the output of expand_to_scopes). A scope-month a
    relation has no row for gets 0, except for the `nullable` measures, which stay NULL (a
    target or cost that was not set is not 0). Optional `dimensions`: extra key columns of the
    spine and of every relation (e.g. ['stage', 'stage_order']), kept after scope_name and joined
    on as well.
    Output: scope, scope_id, scope_name, <dimensions>, <measures>, month_start. -#}
{% macro join_measures_to_spine(spine, measures, nullable=[], dimensions=[]) -%}
    select
        {{ spine }}.scope,
        {{ spine }}.scope_id,
        {{ spine }}.scope_name,
        {%- for dimension in dimensions %}
        {{ spine }}.{{ dimension }},
        {%- endfor %}
        {%- for relation, columns in measures.items() %}
        {%- for column in columns %}
        {%- if column in nullable %}
        {{ relation }}.{{ column }},
        {%- else %}
        coalesce({{ relation }}.{{ column }}, 0) as {{ column }},
        {%- endif %}
        {%- endfor %}
        {%- endfor %}
        {{ spine }}.month_start
    from {{ spine }}
    {%- for relation in measures %}
    left join {{ relation }}
        on {{ spine }}.scope = {{ relation }}.scope
        and {{ spine }}.scope_id = {{ relation }}.scope_id
        {%- for dimension in dimensions %}
        and {{ spine }}.{{ dimension }} = {{ relation }}.{{ dimension }}
        {%- endfor %}
        and {{ spine }}.month_start = {{ relation }}.month_start
    {%- endfor %}
{%- endmacro %}
