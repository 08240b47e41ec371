-- One row per period (month, fiscal quarter, fiscal year) per scope (rep, team, company) that
-- was active in it: the team-performance KPI family (KPI_CATALOGUE.md section A). Monthly
-- numerators and denominators are summed per scope, then rolled up to each period grain and
-- divided — a rate is never averaged. Closed deals count in the month they closed in the
-- reporting time zone, for the owner's team on the close date.

with

deals as (
    select * from {{ ref('int_deals_enriched') }}
),

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

deal_closes as (
    select
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        owner_team_id as team_id,
        owner_team_name as team_name,
        closed_month as month_start,
        case when is_won then 1 else 0 end as deals_won,
        case when is_lost then 1 else 0 end as deals_lost
    from deals
    where is_closed
),

closes_by_scope_month as (
    {{ expand_to_scopes('deal_closes', ['deals_won', 'deals_lost']) }}
),

active_scope_months as (
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from scope_months
    union
    select
        scope,
        scope_id,
        scope_name,
        month_start
    from closes_by_scope_month
),

scope_month_measures as (
    select
        active_scope_months.scope,
        active_scope_months.scope_id,
        active_scope_months.scope_name,
        active_scope_months.month_start,
        coalesce(closes_by_scope_month.deals_won, 0) as deals_won,
        coalesce(closes_by_scope_month.deals_lost, 0) as deals_lost
    from active_scope_months
    left join closes_by_scope_month
        on active_scope_months.scope = closes_by_scope_month.scope
        and active_scope_months.scope_id = closes_by_scope_month.scope_id
        and active_scope_months.month_start = closes_by_scope_month.month_start
),

period_measures as (
    select
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        scope_month_measures.scope,
        scope_month_measures.scope_id,
        max(scope_month_measures.scope_name) as scope_name,
        sum(scope_month_measures.deals_won) as deals_won,
        sum(scope_month_measures.deals_lost) as deals_lost
    from scope_month_measures
    inner join period_months
        on scope_month_measures.month_start = period_months.month_start
    group by
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        scope_month_measures.scope,
        scope_month_measures.scope_id
),

final as (
    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(period_label as {{ dbt.type_string() }}) as period_label,
        period_end <= {{ dbt.cast(dbt.string_literal(var('as_of_date')), 'date') }} as is_complete_period,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(scope_name as {{ dbt.type_string() }}) as scope_name,
        cast(deals_won as bigint) as deals_won,
        cast(deals_lost as bigint) as deals_lost,
        cast(deals_won + deals_lost as bigint) as deals_closed,
        {{ pct('deals_won', 'deals_won + deals_lost') }} as win_rate_pct
    from period_measures
)

select * from final
