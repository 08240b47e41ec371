-- One row per period (month, fiscal quarter, fiscal year) per lead source, for every month of the
-- reporting window: the growth KPI family (KPI_CATALOGUE.md section C) by lead source,
-- company-wide. Same parts and formulas as kpi_growth (int_growth_measures_monthly, macros
-- join_prior_periods and growth_kpi_columns); growth compares a source with itself in the
-- previous period. 'no_lead' holds deals that did not come from a lead. Pipeline coverage is not
-- published here: quotas are not set by lead source.
{%- set measures = ['revenue', 'deals_won', 'cross_sell_revenue', 'upsell_revenue', 'deals_won_missing_fx_rate',
                    'cohort_opportunities', 'cohort_opportunities_won', 'cohort_opportunities_lost',
                    'cohort_opportunities_open', 'cohort_leads', 'cohort_leads_to_customer', 'cohort_days_to_customer'] %}

with

growth_measures as (
    select * from {{ ref('int_growth_measures_monthly') }}
),

pipeline_daily as {{ cte_materialization(false) }} (
    select * from {{ ref('int_pipeline_daily') }}
),

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

measures_by_source as (
    {{ expand_to_scopes('growth_measures', measures, dimensions=['lead_source'], scopes=['company']) }}
),

lead_sources as (
    select lead_source from measures_by_source
    union
    select lead_source from pipeline_daily
),

-- Spine: every lead source in every reporting month (zero counts, not missing rows)
source_months as (
    select
        lead_sources.lead_source,
        scope_months.month_start
    from lead_sources
    cross join scope_months
    where scope_months.scope = 'company'
    union
    select
        lead_source,
        month_start
    from measures_by_source
),

source_month_measures as (
    select
        source_months.lead_source,
        source_months.month_start,
        {%- for column in measures %}
        coalesce(measures_by_source.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        1 as months_in_scope
    from source_months
    left join measures_by_source
        on source_months.lead_source = measures_by_source.lead_source
        and source_months.month_start = measures_by_source.month_start
),

period_measures as (
    select
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        source_month_measures.lead_source,
        {%- for column in measures %}
        sum(source_month_measures.{{ column }}) as {{ column }},
        {%- endfor %}
        sum(source_month_measures.months_in_scope) as months_in_scope
    from source_month_measures
    inner join period_months
        on source_month_measures.month_start = period_months.month_start
    group by
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        source_month_measures.lead_source
),

pipeline_by_source as (
    select
        lead_source,
        pipeline_date,
        sum(open_deals) as open_deals,
        sum(open_pipeline_amount) as open_pipeline,
        sum(open_deals_missing_fx_rate) as open_deals_missing_fx_rate
    from pipeline_daily
    group by lead_source, pipeline_date
),

with_pipeline as (
    select
        period_measures.*,
        case
            when period_measures.period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
                then period_measures.period_end
            else {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
        end as pipeline_date
    from period_measures
),

with_pipeline_balance as (
    select
        with_pipeline.*,
        coalesce(pipeline_by_source.open_deals, 0) as open_deals,
        coalesce(pipeline_by_source.open_pipeline, 0) as open_pipeline,
        coalesce(pipeline_by_source.open_deals_missing_fx_rate, 0) as open_deals_missing_fx_rate
    from with_pipeline
    left join pipeline_by_source
        on with_pipeline.lead_source = pipeline_by_source.lead_source
        and with_pipeline.pipeline_date = pipeline_by_source.pipeline_date
),

with_prior_periods as (
    {{ join_prior_periods('with_pipeline_balance', ['lead_source'], ['revenue']) }}
),

final as (
    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(period_label as {{ dbt.type_string() }}) as period_label,
        period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as is_complete_period,
        cast(lead_source as {{ dbt.type_string() }}) as lead_source,
        {{ growth_kpi_columns() }}
    from with_prior_periods
)

select * from final
