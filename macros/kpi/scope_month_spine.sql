{#- The select of the rows of a scope-month fact (its spine, for join_measures_to_spine): one row
    per scope, scope_id, <dimensions> and month_start found in `base` (a CTE of the scope-months
    that always get a row — zero counts, not a missing row — e.g. int_scope_months) or in any CTE
    of `relations` (scope-months with an event, a target or a balance, e.g. expand_to_scopes
    outputs), named with the greatest scope_name seen. With `lead_sources_every_month`, every
    lead source (scope `lead_source`) found in `relations` also gets a row in every company month
    of `base`. Every CTE has the columns scope, scope_id, scope_name, <dimensions>, month_start.
    Output: scope, scope_id, scope_name, <dimensions>, month_start. -#}
{% macro scope_month_spine(base, relations, dimensions=[], lead_sources_every_month=false) -%}
    {%- if lead_sources_every_month and dimensions -%}
        {{ exceptions.raise_compiler_error(
            "scope_month_spine: lead_sources_every_month gives lead sources a row per month only, "
            ~ "without the dimensions " ~ dimensions ~ "; call it without one of the two.") }}
    {%- endif -%}
    {%- set keys = ['scope', 'scope_id', 'scope_name'] + dimensions + ['month_start'] -%}
    select
        scope,
        scope_id,
        max(scope_name) as scope_name,
        {%- for dimension in dimensions %}
        {{ dimension }},
        {%- endfor %}
        month_start
    from (
        {%- for relation in [base] + relations %}
        select {{ keys | join(', ') }} from {{ relation }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
        {%- if lead_sources_every_month %}
        union all
        select
            lead_sources.scope,
            lead_sources.scope_id,
            lead_sources.scope_name,
            company_months.month_start
        from (
            {%- for relation in relations %}
            select scope, scope_id, scope_name from {{ relation }} where scope = 'lead_source'
            {%- if not loop.last %}
            union
            {%- endif %}
            {%- endfor %}
        ) as lead_sources
        cross join (select month_start from {{ base }} where scope = 'company') as company_months
        {%- endif %}
    ) as scope_months
    group by scope, scope_id, {% for dimension in dimensions %}{{ dimension }}, {% endfor %}month_start
{%- endmacro %}
