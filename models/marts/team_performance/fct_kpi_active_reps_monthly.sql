-- One row per month per scope (rep, team, company) per rep active in it: the rep-months behind
-- kpi_team_performance.active_reps, the table the semantic layer's `team_performance_reps`
-- semantic model reads. The one place the rep-month "active" flag is computed: a rep is active
-- in a month while employed (int_rep_months) and holding a quota or owning a deal open in that
-- month; the team is the rep's team that month (int_rep_months). MetricFlow counts distinct
-- rep_id over these rows, so a fiscal quarter's active reps are the reps active in any of its
-- months — the mart's definition — and the per-rep KPIs re-aggregate correctly.

with

rep_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_rep_months') }}
),

deals as (
    select * from {{ ref('int_deals_enriched') }}
),

reporting_months as (
    select month_start from {{ ref('int_period_months') }}
    where period_grain = 'month'
),

months_with_open_deal as (
    select distinct
        rep_months.rep_id,
        rep_months.month_start
    from rep_months
    inner join deals
        on rep_months.rep_id = deals.owner_rep_id
        and rep_months.month_start >= deals.created_month
        and (deals.closed_month is null or rep_months.month_start <= deals.closed_month)
),

active_rep_months as (
    select
        rep_months.rep_id,
        rep_months.rep_name,
        rep_months.team_id,
        rep_months.team_name,
        rep_months.month_start,
        1 as is_active
    from rep_months
    inner join reporting_months
        on rep_months.month_start = reporting_months.month_start
    left join months_with_open_deal
        on rep_months.rep_id = months_with_open_deal.rep_id
        and rep_months.month_start = months_with_open_deal.month_start
    where rep_months.has_quota or months_with_open_deal.rep_id is not null
),

by_scope as (
    {{ expand_to_scopes('active_rep_months', ['is_active'], dimensions=['rep_id']) | indent(4) }}
),

final as (
    select
        cast({{ dbt.concat(['scope', "':'", 'scope_id']) }} as {{ dbt.type_string() }}) as scope_key,
        cast(month_start as date) as period_start,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(rep_id as {{ dbt.type_string() }}) as rep_id
    from by_scope
)

select * from final
