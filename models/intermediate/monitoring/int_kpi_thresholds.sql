-- One row per KPI alert rule of the seed kpi_thresholds, typed and with its Japanese label and
-- unit from the catalogue: the rules kpi_alerts checks every KPI value against.

with

thresholds as (
    select * from {{ ref('kpi_thresholds') }}
),

catalogue as (
    select * from {{ ref('kpi_catalogue') }}
),

final as (
    select
        cast(thresholds.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(lower(trim(thresholds.scope)) as {{ dbt.type_string() }}) as scope,
        cast(lower(trim(thresholds.period_grain)) as {{ dbt.type_string() }}) as period_grain,
        cast(trim(thresholds.comparison) as {{ dbt.type_string() }}) as comparison,
        cast(thresholds.threshold_value as decimal(18, 4)) as threshold_value,
        cast(lower(trim(thresholds.severity)) as {{ dbt.type_string() }}) as severity,
        catalogue.name_en,
        catalogue.name_ja,
        catalogue.unit
    from thresholds
    left join catalogue
        on thresholds.kpi_id = catalogue.kpi_id
)

select * from final
