-- One row per KPI threshold breach: per KPI, entity (rep, team, company, segment, region, …)
-- and period, the KPI's value that compared true against a rule of the seed kpi_thresholds
-- (自動化されたアラート, KPI_CATALOGUE.md section E), with the threshold, severity and the KPI's
-- Japanese label. The KPI values are read from the KPI marts through the catalogue (dim_kpi:
-- mart and value column), so a threshold on any catalogued KPI works by editing the seed only.
-- A NULL value never breaches; a value exactly at the threshold breaches only `<=` / `>=`.

-- depends_on: {{ ref('dim_kpi') }}

with

kpi_values as (
    {{ unpivot_kpi_marts(monitored_kpi_marts(), ref('dim_kpi')) }}
),

thresholds as (
    select * from {{ ref('int_kpi_thresholds') }}
),

checked as (
    select
        kpi_values.period_grain,
        kpi_values.period_start,
        kpi_values.period_end,
        kpi_values.period_label,
        kpi_values.is_complete_period,
        kpi_values.scope,
        kpi_values.scope_id,
        kpi_values.scope_name,
        kpi_values.kpi_id,
        thresholds.name_en,
        thresholds.name_ja,
        thresholds.unit,
        kpi_values.kpi_value,
        thresholds.comparison,
        thresholds.threshold_value,
        thresholds.severity,
        case thresholds.comparison
            when '<' then kpi_values.kpi_value < thresholds.threshold_value
            when '<=' then kpi_values.kpi_value <= thresholds.threshold_value
            when '>' then kpi_values.kpi_value > thresholds.threshold_value
            when '>=' then kpi_values.kpi_value >= thresholds.threshold_value
        end as is_breach
    from kpi_values
    inner join thresholds
        on kpi_values.kpi_id = thresholds.kpi_id
        and (thresholds.scope = 'all' or kpi_values.scope = thresholds.scope)
        and (thresholds.period_grain = 'all' or kpi_values.period_grain = thresholds.period_grain)
),

final as (
    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(period_label as {{ dbt.type_string() }}) as period_label,
        cast(is_complete_period as boolean) as is_complete_period,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(scope_name as {{ dbt.type_string() }}) as scope_name,
        cast(kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(name_en as {{ dbt.type_string() }}) as name_en,
        cast(name_ja as {{ dbt.type_string() }}) as name_ja,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(kpi_value as decimal(28, 4)) as kpi_value,
        cast(comparison as {{ dbt.type_string() }}) as comparison,
        cast(threshold_value as decimal(18, 4)) as threshold_value,
        cast(severity as {{ dbt.type_string() }}) as severity
    from checked
    where is_breach
)

select * from final
