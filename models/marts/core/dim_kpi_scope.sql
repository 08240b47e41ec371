-- One row per KPI scope (the company, each team and rep, each customer segment and region, each
-- lead source) that has a month row in a KPI mart the semantic layer reads: the `kpi_scope`
-- entity of MetricFlow, so every family is grouped and filtered by the same scope dimensions.

with

team_performance as (
    select * from {{ ref('fct_kpi_team_performance_monthly') }}
),

leads as (
    select * from {{ ref('fct_kpi_leads_monthly') }}
),

growth as (
    select * from {{ ref('fct_kpi_growth_monthly') }}
),

growth_funnel_stages as (
    select * from {{ ref('fct_kpi_growth_funnel_stages_monthly') }}
),

customer as (
    select * from {{ ref('fct_kpi_customer_monthly') }}
),

scope_months as (
    select
        scope_key,
        scope,
        scope_id,
        scope_name,
        period_start
    from team_performance
    union all
    select
        scope_key,
        scope,
        scope_id,
        scope_name,
        period_start
    from leads
    union all
    select
        scope_key,
        scope,
        scope_id,
        scope_name,
        period_start
    from growth
    union all
    select
        scope_key,
        scope,
        scope_id,
        scope_name,
        period_start
    from growth_funnel_stages
    union all
    select
        scope_key,
        scope,
        scope_id,
        scope_name,
        period_start
    from customer
),

-- the name in the latest month the scope appears in (a rep or team may be renamed)
latest_names as (
    select
        scope_key,
        scope,
        scope_id,
        scope_name,
        row_number() over (partition by scope_key order by period_start desc, scope_name asc) as name_rank
    from scope_months
),

final as (
    select
        scope_key,
        scope,
        scope_id,
        scope_name
    from latest_names
    where name_rank = 1
)

select * from final
