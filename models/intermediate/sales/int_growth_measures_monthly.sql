-- One row per rep, team, lead source and month (reporting time zone) with any growth-family
-- event: the additive monthly parts of the growth KPI family (KPI_CATALOGUE.md section C), summed
-- once here and read by fct_kpi_growth_monthly (which the growth marts roll up). Won revenue,
-- deals won and cross-sell / upsell revenue are the won rows of int_deal_closes (where a close
-- is counted once): in the close month for the owner's team on the close date. The opportunity
-- cohort (order rate) counts in the deal's creation month for the owner's team that day, with
-- its status as of var('as_of_date'); the lead → customer cohort in the lead's creation month
-- for the lead owner's team that day. lead_source is 'no_lead' for deals that did not come from
-- a lead.
{%- set measures = {
    'won_deals': ['revenue', 'deals_won', 'cross_sell_revenue', 'upsell_revenue', 'deals_won_missing_fx_rate'],
    'opportunity_cohorts': ['cohort_opportunities', 'cohort_opportunities_won', 'cohort_opportunities_lost',
                            'cohort_opportunities_open'],
    'lead_cohorts': ['cohort_leads', 'cohort_leads_to_customer', 'cohort_days_to_customer'],
} %}

with

deal_closes as (
    select * from {{ ref('int_deal_closes') }}
),

deals as (
    select * from {{ ref('int_deals_enriched') }}
),

lead_lifecycles as (
    select * from {{ ref('int_lead_lifecycles') }}
),

won_deals as (
    select
        rep_id,
        rep_name,
        team_id,
        team_name,
        coalesce(lead_source, 'no_lead') as lead_source,
        month_start,
        coalesce(won_revenue, 0) as revenue,
        deals_won,
        coalesce(won_cross_sell_revenue, 0) as cross_sell_revenue,
        coalesce(won_upsell_revenue, 0) as upsell_revenue,
        deals_missing_fx_rate as deals_won_missing_fx_rate
    from deal_closes
    where deals_won = 1
),

opportunity_cohorts as (
    select
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        created_team_id as team_id,
        created_team_name as team_name,
        coalesce(lead_source, 'no_lead') as lead_source,
        created_month as month_start,
        1 as cohort_opportunities,
        case when is_won then 1 else 0 end as cohort_opportunities_won,
        case when is_lost then 1 else 0 end as cohort_opportunities_lost,
        case when is_closed then 0 else 1 end as cohort_opportunities_open
    from deals
),

lead_cohorts as (
    select
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        owner_team_id as team_id,
        owner_team_name as team_name,
        lead_source,
        created_month as month_start,
        1 as cohort_leads,
        case when is_customer then 1 else 0 end as cohort_leads_to_customer,
        coalesce(days_to_customer, 0) as cohort_days_to_customer
    from lead_lifecycles
),

{%- set all_columns = [] %}
{%- for columns in measures.values() %}
{%- for column in columns %}
{%- do all_columns.append(column) %}
{%- endfor %}
{%- endfor %}

unioned as (
    {%- for fact, columns in measures.items() %}
    select
        rep_id,
        rep_name,
        team_id,
        team_name,
        lead_source,
        {%- for column in all_columns %}
        {{ column if column in columns else '0' }} as {{ column }},
        {%- endfor %}
        month_start
    from {{ fact }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        rep_id,
        team_id,
        lead_source,
        month_start,
        {%- for column in all_columns %}
        sum({{ column }}) as {{ column }},
        {%- endfor %}
        max(rep_name) as rep_name,
        max(team_name) as team_name
    from unioned
    group by rep_id, team_id, lead_source, month_start
)

select * from final
