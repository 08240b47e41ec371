-- The lead-source companions add up to the company rows of their family tables: for every period,
-- the sum over lead sources of each additive column equals the company row (kpi_leads,
-- kpi_growth). Returns the mismatching periods.
{%- set lead_columns = ['new_leads', 'new_opportunities', 'cohort_leads_to_opportunity', 'mql_leads', 'mql_leads_to_sql',
                        'outbound_calls', 'connected_calls', 'emails_sent', 'emails_bounced', 'emails_opened'] %}
{%- set growth_columns = ['revenue', 'deals_won', 'cross_sell_revenue', 'upsell_revenue', 'cohort_opportunities',
                          'cohort_opportunities_won', 'cohort_opportunities_lost', 'cohort_opportunities_open',
                          'cohort_leads', 'cohort_leads_to_customer', 'cohort_days_to_customer', 'open_deals',
                          'open_pipeline'] %}
{%- set pairs = [
    ('leads', 'kpi_leads', 'kpi_leads_lead_sources', lead_columns),
    ('growth', 'kpi_growth', 'kpi_growth_lead_sources', growth_columns),
] %}

with

{% for family, company_model, source_model, columns in pairs %}
{{ family }}_by_source as (
    select
        period_grain,
        {%- for column in columns %}
        sum({{ column }}) as {{ column }},
        {%- endfor %}
        period_start
    from {{ ref(source_model) }}
    group by period_grain, period_start
),

{{ family }}_company as (
    select * from {{ ref(company_model) }}
    where scope = 'company'
),

{{ family }}_mismatches as (
    select
        '{{ family }}' as family,
        coalesce({{ family }}_company.period_grain, {{ family }}_by_source.period_grain) as period_grain,
        coalesce({{ family }}_company.period_start, {{ family }}_by_source.period_start) as period_start
    from {{ family }}_company
    full outer join {{ family }}_by_source
        on {{ family }}_company.period_grain = {{ family }}_by_source.period_grain
        and {{ family }}_company.period_start = {{ family }}_by_source.period_start
    where
        false
        {%- for column in columns %}
        or coalesce({{ family }}_company.{{ column }}, 0) <> coalesce({{ family }}_by_source.{{ column }}, 0)
        {%- endfor %}
),

{% endfor %}
final as (
    select * from leads_mismatches
    union all
    select * from growth_mismatches
)

select * from final
