-- Fails for every KPI in dim_kpi whose mart, value, numerator or denominator column does not
-- exist, so the catalogue and the marts cannot drift. Every KPI mart is listed below so this
-- test runs after it is built; a mart named in dim_kpi but not listed (or not built) fails.
-- depends_on: {{ ref('kpi_team_performance') }}
-- depends_on: {{ ref('kpi_content_assets') }}
-- depends_on: {{ ref('kpi_training_programmes') }}
-- depends_on: {{ ref('kpi_customer') }}
-- depends_on: {{ ref('kpi_customer_cohorts') }}
-- depends_on: {{ ref('kpi_customer_accounts') }}
-- depends_on: {{ ref('kpi_planning') }}
-- depends_on: {{ ref('kpi_alerts') }}
-- depends_on: {{ ref('kpi_periodic_review') }}
-- depends_on: {{ ref('kpi_leads') }}
-- depends_on: {{ ref('kpi_growth') }}
-- depends_on: {{ ref('kpi_growth_funnel_stages') }}

{%- set problems = [] %}
{%- if execute %}
    {%- set dim_kpi = ref('dim_kpi') %}
    {%- set catalogue = run_query(
        "select kpi_id, mart, value_column, numerator_column, denominator_column from "
        ~ dim_kpi ~ " where mart is not null") %}
    {%- for row in catalogue.rows %}
        {%- set relation = adapter.get_relation(database=dim_kpi.database, schema=dim_kpi.schema, identifier=row['mart']) %}
        {%- if relation is none %}
            {%- do problems.append((row['kpi_id'], row['mart'], 'mart not built')) %}
        {%- else %}
            {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list %}
            {%- for role in ['value_column', 'numerator_column', 'denominator_column'] %}
                {%- if row[role] is not none and row[role] | lower not in present %}
                    {%- do problems.append((row['kpi_id'], row['mart'], role ~ ' ' ~ row[role] ~ ' missing')) %}
                {%- endif %}
            {%- endfor %}
        {%- endif %}
    {%- endfor %}
{%- endif %}

with

catalogue_problems as (
    {%- for kpi_id, mart, problem in problems %}
    select '{{ kpi_id }}' as kpi_id, '{{ mart }}' as mart, '{{ problem }}' as problem
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as kpi_id,
        cast(null as {{ dbt.type_string() }}) as mart,
        cast(null as {{ dbt.type_string() }}) as problem
    from {{ ref('dim_kpi') }}
    where 1 = 0
    {%- endfor %}
)

select * from catalogue_problems
