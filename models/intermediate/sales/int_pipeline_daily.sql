-- One row per day (reporting time zone) per owner team, open stage and lead source with at least
-- one open deal at the end of that day, up to var('as_of_date'): the point-in-time open pipeline
-- reconstructed from the stage history (int_deal_stage_transitions), not from the deal's stage
-- today. A deal is in the pipeline on a day when the stage change in effect at the end of that
-- day is an open stage. Amounts are the deal's amount converted at that day's month's FX rate
-- (the CRM export keeps only the current amount, so a deal's amount history is not replayed); a
-- deal with no rate that month is counted in open_deals_missing_fx_rate and left out of the
-- amount. Deals count for the owner's team on that day.

with

transitions as (
    select * from {{ ref('int_deal_stage_transitions') }}
),

deals as (
    select * from {{ ref('int_deals_enriched') }}
),

assignments as (
    select * from {{ ref('int_rep_team_assignments') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_to_reporting') }}
),

day_spine as (
    {{ dbt.date_spine(
        'day',
        dbt.cast(dbt.string_literal(var('calendar_start_date')), 'date'),
        dbt.dateadd('day', 1, dbt.cast(dbt.string_literal(var('as_of_date')), 'date'))
    ) }}
),

days as (
    select cast(date_day as date) as pipeline_date
    from day_spine
),

open_intervals as (
    select
        deal_id,
        stage,
        stage_order,
        valid_from_date,
        valid_to_date
    from transitions
    where is_open_stage and is_in_effect
),

open_deal_days as (
    select
        days.pipeline_date,
        open_intervals.deal_id,
        open_intervals.stage,
        open_intervals.stage_order
    from open_intervals
    inner join days
        on days.pipeline_date between open_intervals.valid_from_date and open_intervals.valid_to_date
),

open_deal_days_valued as (
    select
        open_deal_days.pipeline_date,
        open_deal_days.stage,
        open_deal_days.stage_order,
        coalesce(assignments.team_id, 'unassigned') as team_id,
        coalesce(assignments.team_name, 'Unassigned') as team_name,
        coalesce(deals.lead_source, 'no_lead') as lead_source,
        cast(deals.amount_local * fx_rates.rate_to_reporting as decimal(18, 2)) as amount,
        case when fx_rates.rate_to_reporting is null then 1 else 0 end as is_missing_fx_rate
    from open_deal_days
    inner join deals
        on open_deal_days.deal_id = deals.deal_id
    left join fx_rates
        on cast({{ dbt.date_trunc('month', 'open_deal_days.pipeline_date') }} as date) = cast(fx_rates.rate_month as date)
        and deals.currency_code = fx_rates.currency_code
    left join assignments
        on deals.owner_rep_id = assignments.rep_id
        and open_deal_days.pipeline_date between assignments.valid_from and assignments.valid_to
),

final as (
    select
        pipeline_date,
        cast({{ dbt.date_trunc('month', 'pipeline_date') }} as date) as pipeline_month,
        team_id,
        max(team_name) as team_name,
        stage,
        stage_order,
        lead_source,
        count(*) as open_deals,
        cast(coalesce(sum(amount), 0) as decimal(18, 2)) as open_pipeline_amount,
        sum(is_missing_fx_rate) as open_deals_missing_fx_rate
    from open_deal_days_valued
    group by pipeline_date, team_id, stage, stage_order, lead_source
)

select * from final
