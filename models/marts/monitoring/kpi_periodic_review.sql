-- One row per review period (fiscal quarter or fiscal half-year) per entity per KPI: the KPI's
-- value next to its value in the previous period of the same kind and the change (定期的な見直し,
-- KPI_CATALOGUE.md section E). Every KPI the catalogue (dim_kpi) places in a monitored mart is
-- included (macro monitored_kpi_marts: add a mart there and it is reviewed too). Quarters are the
-- marts' own fiscal_quarter rows. Half-years are not a mart grain, so they are rebuilt from the
-- two quarters: a ratio KPI (numerator and denominator in dim_kpi) from its summed parts (× 100
-- for a percentage); a count or money KPI with no parts as the sum of the quarters; any other
-- KPI (averages without parts, days, scores, lifetime values) is NULL for the half-year.

-- depends_on: {{ ref('dim_kpi') }}

with

kpi_values as (
    {{ unpivot_kpi_marts(monitored_kpi_marts(), ref('dim_kpi')) }}
),

catalogue as {{ cte_materialization(false) }} (
    select * from {{ ref('dim_kpi') }}
),

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

quarter_values as (
    select
        'fiscal_quarter' as review_grain,
        kpi_values.period_start,
        kpi_values.period_end,
        kpi_values.period_label,
        kpi_values.is_complete_period,
        kpi_values.scope,
        kpi_values.scope_id,
        kpi_values.scope_name,
        kpi_values.kpi_id,
        kpi_values.kpi_value
    from kpi_values
    where kpi_values.period_grain = 'fiscal_quarter'
),

quarter_halves as (
    select
        kpi_values.*,
        calendar_months.fiscal_year,
        case
            when calendar_months.fiscal_quarter <= 2 then calendar_months.fiscal_year_start
            else cast({{ dbt.dateadd('month', 6, 'calendar_months.fiscal_year_start') }} as date)
        end as half_start,
        case when calendar_months.fiscal_quarter <= 2 then 1 else 2 end as fiscal_half
    from kpi_values
    inner join calendar_months
        on kpi_values.period_start = calendar_months.month_start
    where kpi_values.period_grain = 'fiscal_quarter'
),

half_parts as (
    select
        quarter_halves.half_start,
        quarter_halves.fiscal_year,
        quarter_halves.fiscal_half,
        quarter_halves.scope,
        quarter_halves.scope_id,
        quarter_halves.kpi_id,
        max(quarter_halves.scope_name) as scope_name,
        min(case when quarter_halves.is_complete_period then 1 else 0 end) as is_complete_period,
        sum(quarter_halves.kpi_value) as value_sum,
        sum(quarter_halves.numerator_value) as numerator_sum,
        sum(quarter_halves.denominator_value) as denominator_sum
    from quarter_halves
    group by
        quarter_halves.half_start,
        quarter_halves.fiscal_year,
        quarter_halves.fiscal_half,
        quarter_halves.scope,
        quarter_halves.scope_id,
        quarter_halves.kpi_id
),

half_values as (
    select
        'fiscal_half' as review_grain,
        half_parts.half_start as period_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 6, 'half_parts.half_start')) }} as date) as period_end,
        {{ dbt.concat([
            "'FY'", dbt.cast('half_parts.fiscal_year', dbt.type_string()),
            "' H'", dbt.cast('half_parts.fiscal_half', dbt.type_string()),
        ]) }} as period_label,
        half_parts.is_complete_period = 1 as is_complete_period,
        half_parts.scope,
        half_parts.scope_id,
        half_parts.scope_name,
        half_parts.kpi_id,
        case
            when catalogue.numerator_column is not null and catalogue.denominator_column is not null
                then
                    (case when catalogue.unit = 'pct' then 100 else 1 end)
                    * {{ safe_divide('half_parts.numerator_sum', 'half_parts.denominator_sum') }}
            when catalogue.unit in ('count', 'money') then half_parts.value_sum
        end as kpi_value
    from half_parts
    inner join catalogue
        on half_parts.kpi_id = catalogue.kpi_id
),

review_values as (
    select * from quarter_values
    union all
    select * from half_values
),

with_previous as (
    select
        review_values.*,
        previous_values.period_label as previous_period_label,
        previous_values.kpi_value as previous_value
    from review_values
    left join review_values as previous_values
        on review_values.review_grain = previous_values.review_grain
        and review_values.scope = previous_values.scope
        and review_values.scope_id = previous_values.scope_id
        and review_values.kpi_id = previous_values.kpi_id
        and previous_values.period_end = cast({{ dbt.dateadd('day', -1, 'review_values.period_start') }} as date)
),

final as (
    select
        cast(with_previous.review_grain as {{ dbt.type_string() }}) as review_grain,
        cast(with_previous.period_start as date) as period_start,
        cast(with_previous.period_end as date) as period_end,
        cast(with_previous.period_label as {{ dbt.type_string() }}) as period_label,
        cast(with_previous.is_complete_period as boolean) as is_complete_period,
        cast(with_previous.scope as {{ dbt.type_string() }}) as scope,
        cast(with_previous.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(with_previous.scope_name as {{ dbt.type_string() }}) as scope_name,
        cast(with_previous.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(catalogue.family as {{ dbt.type_string() }}) as family,
        cast(catalogue.name_en as {{ dbt.type_string() }}) as name_en,
        cast(catalogue.name_ja as {{ dbt.type_string() }}) as name_ja,
        cast(catalogue.unit as {{ dbt.type_string() }}) as unit,
        cast(with_previous.kpi_value as decimal(28, 4)) as kpi_value,
        cast(with_previous.previous_period_label as {{ dbt.type_string() }}) as previous_period_label,
        cast(with_previous.previous_value as decimal(28, 4)) as previous_value,
        cast(with_previous.kpi_value - with_previous.previous_value as decimal(28, 4)) as change_value,
        {{ pct('with_previous.kpi_value - with_previous.previous_value', 'abs(with_previous.previous_value)') }}
            as change_pct
    from with_previous
    inner join catalogue
        on with_previous.kpi_id = catalogue.kpi_id
)

select * from final
