{#- The customer family's counterpart of expand_to_scopes: sum account-level measures at every
    customer scope — the company, each customer segment, each region (of the account) — one
    `select … group by` per scope, unioned. `relation` (a CTE name) must have the columns
    segment, region, every column in `time_columns` (default month_start; the customer family
    also passes ['period_grain', 'period_start'] for point-in-time measures already taken at
    the period's boundaries) and every column in `measures`.
    Output: scope, scope_id, scope_name, <time_columns>, <measures>. -#}
{% macro expand_to_customer_scopes(relation, measures, time_columns=['month_start']) -%}
    {%- set scopes = [
        ('company', "'company'", sql_string_literal(var('company_name'))),
        ('segment', 'segment', 'segment'),
        ('region', 'region', 'region'),
    ] -%}
    {%- for scope, id_column, name_column in scopes %}
    select
        '{{ scope }}' as scope,
        {{ id_column }} as scope_id,
        max({{ name_column }}) as scope_name,
        {%- for time_column in time_columns %}
        {{ time_column }},
        {%- endfor %}
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    group by {% if scope != 'company' %}{{ id_column }}, {% endif %}{{ time_columns | join(', ') }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
