-- The benchmark's reference floor (docs/benchmark.md): the headline KPIs per rep × month as
-- ONE hand-written DuckDB SQL statement over the raw Parquet export, no dbt. floor.py creates
-- the raw_* views (the files of the export, every column as text) and the variables
-- as_of_date (date), reporting_timezone and reporting_currency, then runs this.
--
-- It does the work an honest pipeline must do, the way the dbt project's rules say
-- (docs/input_contract.md), but no more: parse the text timestamps and numbers, keep the
-- latest export (updated_at) of each deal and one row per activity_id, map stages and
-- activity types through the mapping seeds (normalised as the project does: lower case, '_'
-- and '-' as spaces, repeated spaces collapsed), drop rows that cannot be used, bucket by the
-- local month in the reporting time zone, and convert money at the month's FX rate
-- (direct rates to the reporting currency; the reporting currency converts at 1).

create or replace table headline_rep_month as

with

known_reps as (
    select distinct trim(rep_id) as rep_id
    from raw_reps
    where nullif(trim(rep_id), '') is not null
),

stage_map as (
    select
        source_value,
        stage_category
    from raw_map_deal_stages
),

activity_map as (
    select
        source_value,
        activity_class
    from raw_map_activity_types
),

fx_to_reporting as (
    select
        cast(date_trunc('month', try_cast(trim(rate_month) as date)) as date) as rate_month,
        upper(trim(currency_code)) as currency_code,
        max(try_cast(trim(rate) as double)) as rate_to_reporting
    from raw_fx_rates
    where upper(trim(quote_currency)) = getvariable('reporting_currency')
    group by all
),

deals_typed as (
    select
        trim(deal_id) as deal_id,
        trim(owner_rep_id) as rep_id,
        trim(replace(replace(replace(replace(lower(stage), '_', ' '), '-', ' '), '  ', ' '), '  ', ' '))
            as stage_key,
        try_cast(trim(amount) as decimal(18, 2)) as amount,
        upper(trim(currency_code)) as currency_code,
        try_cast(replace(trim(created_at), 'T', ' ') as timestamp) as created_at,
        try_cast(replace(trim(closed_at), 'T', ' ') as timestamp) as closed_at,
        try_cast(replace(trim(updated_at), 'T', ' ') as timestamp) as updated_at
    from raw_deals
    where nullif(trim(deal_id), '') is not null
),

deals_latest as (
    select *
    from deals_typed
    qualify row_number() over (partition by deal_id order by updated_at desc nulls last) = 1
),

closed_deals as (
    select
        deals.rep_id,
        deals.amount,
        deals.currency_code,
        stage_map.stage_category = 'won' as is_won,
        (deals.created_at at time zone 'UTC') at time zone getvariable('reporting_timezone')
            as created_local,
        (deals.closed_at at time zone 'UTC') at time zone getvariable('reporting_timezone')
            as closed_local
    from deals_latest as deals
    inner join stage_map on deals.stage_key = stage_map.source_value
    semi join known_reps on deals.rep_id = known_reps.rep_id
    where stage_map.stage_category in ('won', 'lost')
        and deals.amount >= 0
        and deals.closed_at >= deals.created_at
),

deal_facts as (
    select
        closed_deals.rep_id,
        cast(date_trunc('month', closed_deals.closed_local) as date) as month_start,
        closed_deals.is_won,
        closed_deals.amount * case
            when closed_deals.currency_code = getvariable('reporting_currency') then 1.0
            else fx.rate_to_reporting
        end as amount_reporting,
        date_diff(
            'day', cast(closed_deals.created_local as date), cast(closed_deals.closed_local as date)
        ) as cycle_days
    from closed_deals
    left join fx_to_reporting as fx
        on fx.rate_month = cast(date_trunc('month', closed_deals.closed_local) as date)
        and fx.currency_code = closed_deals.currency_code
    where cast(closed_deals.closed_local as date) <= getvariable('as_of_date')
),

deal_kpis as (
    select
        rep_id,
        month_start,
        count(*) filter (where is_won) as deals_won,
        count(*) as deals_closed,
        coalesce(sum(amount_reporting) filter (where is_won), 0) as won_revenue,
        sum(cycle_days) filter (where is_won) as won_cycle_days
    from deal_facts
    group by all
),

activities_latest as (
    select
        trim(activity_id) as activity_id,
        trim(rep_id) as rep_id,
        trim(replace(replace(replace(replace(lower(activity_type), '_', ' '), '-', ' '), '  ', ' '), '  ', ' '))
            as type_key,
        lower(trim(outcome)) as outcome,
        try_cast(replace(trim(started_at), 'T', ' ') as timestamp) as started_at
    from raw_activities
    where nullif(trim(activity_id), '') is not null
    qualify row_number() over (partition by trim(activity_id) order by started_at) = 1
),

activity_facts as (
    select
        activities.rep_id,
        (activities.started_at at time zone 'UTC') at time zone getvariable('reporting_timezone')
            as started_local,
        activity_map.activity_class,
        activities.outcome
    from activities_latest as activities
    inner join activity_map on activities.type_key = activity_map.source_value
    semi join known_reps on activities.rep_id = known_reps.rep_id
    where activities.started_at is not null
),

activity_kpis as (
    select
        rep_id,
        cast(date_trunc('month', started_local) as date) as month_start,
        count(*) filter (where activity_class = 'call') as calls_made,
        count(*) filter (where activity_class = 'email') as emails_sent,
        count(*) filter (where activity_class in ('meeting', 'demo')) as meetings_booked,
        count(*) filter (where activity_class in ('meeting', 'demo') and outcome = 'held')
            as meetings_held
    from activity_facts
    where cast(started_local as date) <= getvariable('as_of_date')
    group by all
)

select
    rep_id,
    month_start,
    coalesce(deal_kpis.deals_won, 0) as deals_won,
    coalesce(deal_kpis.deals_closed, 0) as deals_closed,
    round(100.0 * deal_kpis.deals_won / nullif(deal_kpis.deals_closed, 0), 4) as win_rate_pct,
    round(coalesce(deal_kpis.won_revenue, 0), 2) as won_revenue,
    round(deal_kpis.won_revenue / nullif(deal_kpis.deals_won, 0), 2) as average_deal_size,
    round(deal_kpis.won_cycle_days / nullif(deal_kpis.deals_won, 0), 2)
        as average_sales_cycle_days,
    coalesce(activity_kpis.calls_made, 0) as calls_made,
    coalesce(activity_kpis.emails_sent, 0) as emails_sent,
    coalesce(activity_kpis.meetings_booked, 0) as meetings_booked,
    coalesce(activity_kpis.meetings_held, 0) as meetings_held
from deal_kpis
full outer join activity_kpis using (rep_id, month_start)
order by rep_id, month_start;
