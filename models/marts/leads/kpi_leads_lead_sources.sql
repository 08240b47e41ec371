-- One row per period (month, fiscal quarter, fiscal year) per lead source, for every month of the
-- reporting window: the leads KPI family (KPI_CATALOGUE.md section B) by lead source, company-wide.
-- Same parts and formulas as kpi_leads (int_lead_measures_monthly, macro lead_kpi_columns);
-- 'no_lead' holds the events with no lead (calls, deals and e-mails on existing accounts).
{%- set measures = ['new_leads', 'cohort_leads_to_opportunity', 'mql_leads', 'mql_leads_to_sql', 'new_opportunities',
                    'outbound_calls', 'connected_calls', 'emails_sent', 'emails_bounced', 'emails_opened'] %}

with

lead_measures as (
    select * from {{ ref('int_lead_measures_monthly') }}
),

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

measures_by_source as (
    {{ expand_to_scopes('lead_measures', measures, dimensions=['lead_source'], scopes=['company']) }}
),

lead_sources as (
    select distinct lead_source from measures_by_source
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

final as (
    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(period_label as {{ dbt.type_string() }}) as period_label,
        period_end <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as is_complete_period,
        cast(lead_source as {{ dbt.type_string() }}) as lead_source,
        {{ lead_kpi_columns() }}
    from period_measures
)

select * from final
