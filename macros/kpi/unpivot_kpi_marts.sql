{#- Long form of the KPI marts: one row per period × entity × KPI with its value, for every KPI
    that dim_kpi (the catalogue as data) places in one of `marts`. `marts` is a list of dicts:
    {'relation': ref(...), 'scope': SQL for the scope, 'scope_id': ..., 'scope_name': ...}; a mart at
    the standard KPI grain needs only the relation (scope, scope_id, scope_name are its columns).
    `catalogue` is ref('dim_kpi'), read at run time (before it is built, e.g. when linting a fresh
    checkout, the result is an empty relation of the same shape): a KPI added to the catalogue (mart and
    value_column filled) is picked up with no code change; a new mart is one more list entry.
    Output: period_grain, period_start, period_end, period_label, is_complete_period, scope, scope_id,
    scope_name, kpi_id, kpi_value, numerator_value and denominator_value (decimal(28, 4); the
    latter two NULL for a KPI that is not a ratio). -#}
{% macro unpivot_kpi_marts(marts, catalogue) -%}
    {%- set selects = [] -%}
    {%- set catalogue_exists = execute and adapter.get_relation(
        database=catalogue.database, schema=catalogue.schema, identifier=catalogue.identifier) is not none -%}
    {%- if catalogue_exists -%}
        {%- for mart in marts -%}
            {%- set rows = run_query(
                "select kpi_id, value_column, numerator_column, denominator_column from " ~ catalogue
                ~ " where mart = '" ~ mart['relation'].identifier ~ "' and value_column is not null order by kpi_id"
            ).rows -%}
            {%- for row in rows -%}
                {%- do selects.append(
                    "select period_grain, period_start, period_end, period_label, is_complete_period, "
                    ~ mart.get('scope', 'scope') ~ " as scope, "
                    ~ mart.get('scope_id', 'scope_id') ~ " as scope_id, "
                    ~ mart.get('scope_name', 'scope_name') ~ " as scope_name, "
                    ~ "'" ~ row['kpi_id'] ~ "' as kpi_id, "
                    ~ "cast(" ~ row['value_column'] ~ " as decimal(28, 4)) as kpi_value, "
                    ~ "cast(" ~ (row['numerator_column'] or 'null') ~ " as decimal(28, 4)) as numerator_value, "
                    ~ "cast(" ~ (row['denominator_column'] or 'null') ~ " as decimal(28, 4)) as denominator_value "
                    ~ "from " ~ mart['relation']
                ) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if selects | length > 0 -%}
        {{ selects | join('\n    union all\n    ') }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as period_grain,
            cast(null as date) as period_start,
            cast(null as date) as period_end,
            cast(null as {{ dbt.type_string() }}) as period_label,
            cast(null as boolean) as is_complete_period,
            cast(null as {{ dbt.type_string() }}) as scope,
            cast(null as {{ dbt.type_string() }}) as scope_id,
            cast(null as {{ dbt.type_string() }}) as scope_name,
            cast(null as {{ dbt.type_string() }}) as kpi_id,
            cast(null as decimal(28, 4)) as kpi_value,
            cast(null as decimal(28, 4)) as numerator_value,
            cast(null as decimal(28, 4)) as denominator_value
        from {{ catalogue }}
        where 1 = 0
    {%- endif -%}
{%- endmacro %}

{#- The KPI marts the monitoring models (kpi_alerts, kpi_periodic_review) read. Add a new KPI
    mart here (and a `-- depends_on` line in both models); marts not at the scope grain say which
    columns identify the entity. The cohort triangle (kpi_customer_cohorts) is not a period KPI
    view and is left out. -#}
{% macro monitored_kpi_marts() -%}
    {{ return([
        {'relation': ref('kpi_team_performance')},
        {'relation': ref('kpi_content_assets'), 'scope': "'content_asset'", 'scope_id': 'asset_id', 'scope_name': 'asset_name'},
        {'relation': ref('kpi_training_programmes'), 'scope': "'training_programme'", 'scope_id': 'programme_id',
         'scope_name': 'programme_name'},
        {'relation': ref('kpi_customer')},
        {'relation': ref('kpi_planning')},
    ]) }}
{%- endmacro %}
