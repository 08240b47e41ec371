-- One row per KPI in the catalogue (KPI_CATALOGUE.md, carried as the seed kpi_catalogue):
-- English name, Japanese label, formula, unit and, once a KPI has landed, the mart and the
-- columns holding its value, numerator and denominator, and its MetricFlow metric (or why it has
-- none). BI tools read labels from here.

with

catalogue as (
    select * from {{ ref('kpi_catalogue') }}
),

final as (
    select
        cast(kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(family as {{ dbt.type_string() }}) as family,
        cast(name_en as {{ dbt.type_string() }}) as name_en,
        cast(name_ja as {{ dbt.type_string() }}) as name_ja,
        cast(formula as {{ dbt.type_string() }}) as formula,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(mart as {{ dbt.type_string() }}) as mart,
        cast(value_column as {{ dbt.type_string() }}) as value_column,
        cast(numerator_column as {{ dbt.type_string() }}) as numerator_column,
        cast(denominator_column as {{ dbt.type_string() }}) as denominator_column,
        cast(source_article as {{ dbt.type_string() }}) as source_article,
        mart is not null as is_available,
        cast(metric as {{ dbt.type_string() }}) as metric,
        cast(metric_exclusion_reason as {{ dbt.type_string() }}) as metric_exclusion_reason
    from catalogue
)

select * from final
