{#- The leading columns of the KPI tables, cast to their contract types (a list of select
    expressions, no trailing comma).
    period_scope_columns(): period_grain, period_start, period_end, period_label,
    is_complete_period (the period ended on or before var('as_of_date')), scope, scope_id,
    scope_name — the first columns of every period × scope mart; the relation must have the
    period and scope columns roll_up_to_periods outputs.
    scope_month_columns(): scope_key (`scope:scope_id`, the kpi_scope entity), period_start (from
    month_start), scope, scope_id, scope_name — the first columns of a scope-month fact. -#}
{% macro period_scope_columns() -%}
    cast(period_grain as {{ dbt.type_string() }}) as period_grain,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(period_label as {{ dbt.type_string() }}) as period_label,
    period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as is_complete_period,
    cast(scope as {{ dbt.type_string() }}) as scope,
    cast(scope_id as {{ dbt.type_string() }}) as scope_id,
    cast(scope_name as {{ dbt.type_string() }}) as scope_name
{%- endmacro %}

{% macro scope_month_columns() -%}
    cast({{ dbt.concat(['scope', "':'", 'scope_id']) }} as {{ dbt.type_string() }}) as scope_key,
    cast(month_start as date) as period_start,
    cast(scope as {{ dbt.type_string() }}) as scope,
    cast(scope_id as {{ dbt.type_string() }}) as scope_id,
    cast(scope_name as {{ dbt.type_string() }}) as scope_name
{%- endmacro %}
