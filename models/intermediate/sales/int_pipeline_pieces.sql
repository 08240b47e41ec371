-- One row per piece of a deal's open-stage interval: the stage changes in effect
-- (int_deal_stage_transitions) cut by FX month and by the owner's team segment, so that within a
-- piece the deal's team, stage, lead source and converted amount are constant. A current stage
-- is held through var('as_of_date'). Amounts are the deal's current amount (the export has no
-- amount history) converted at the piece's month's FX rate; a deal with no rate that month has
-- no amount and is_missing_fx_rate = 1. The input of the point-in-time pipeline
-- (int_pipeline_daily), which turns each piece into a +1 on its first day and a -1 the day
-- after its last.
--
-- piece_hash fingerprints what a piece contributes to a day's balances (team, stage, lead
-- source, amount, FX flag; not its deal nor its days): int_pipeline_daily sums it over the
-- pieces open on a day and rebuilds, on an incremental run, the days from the first one whose
-- sum changed.

with

transitions as (
    select * from {{ ref('int_deal_stage_transitions') }}
),

deals as (
    select * from {{ ref('int_deals_enriched') }}
),

assignments as {{ cte_materialization(false) }} (
    select * from {{ ref('int_rep_team_assignments') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_to_reporting') }}
),

calendar_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_calendar_months') }}
),

bounds as {{ cte_materialization(false) }} (
    select * from {{ ref('int_calendar_bounds') }}
),

open_intervals as (
    select
        deal_id,
        stage,
        stage_order,
        valid_from_date,
        -- a current stage is held through the as-of date
        coalesce(valid_to_date, {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}) as valid_to_date
    from transitions
    where is_open_stage and is_in_effect
),

-- Each rep's whole timeline as segments with one team (or none: {{ unknown_member() }}), cut at every
-- assignment start and the day after every assignment end.
rep_boundaries as (
    select
        assignments.rep_id,
        bounds.calendar_start_date as segment_start
    from assignments
    cross join bounds
    union
    select
        assignments.rep_id,
        assignments.valid_from as segment_start
    from assignments
    union
    select
        rep_id,
        cast({{ dbt.dateadd('day', 1, 'valid_to') }} as date) as segment_start
    from assignments
),

rep_segments as (
    select
        rep_boundaries.rep_id,
        rep_boundaries.segment_start,
        coalesce(
            cast({{ dbt.dateadd(
                'day', -1,
                'lead(rep_boundaries.segment_start) over (partition by rep_boundaries.rep_id order by rep_boundaries.segment_start)'
            ) }} as date),
            bounds.calendar_end_date
        ) as segment_end
    from rep_boundaries
    cross join bounds
),

rep_segment_teams as (
    select
        rep_segments.rep_id,
        rep_segments.segment_start,
        rep_segments.segment_end,
        coalesce(assignments.team_id, {{ unknown_member() }}) as team_id,
        coalesce(assignments.team_name, {{ unknown_member() }}) as team_name
    from rep_segments
    left join assignments
        on rep_segments.rep_id = assignments.rep_id
        and rep_segments.segment_start between assignments.valid_from and assignments.valid_to
),

-- An open interval cut by FX month and by owner team segment: within a piece the team and the
-- converted amount are constant.
interval_pieces as (
    select
        open_intervals.deal_id,
        open_intervals.stage,
        open_intervals.stage_order,
        coalesce(deals.lead_source, 'no_lead') as lead_source,
        deals.currency_code,
        deals.amount_local,
        calendar_months.month_start,
        case
            when open_intervals.valid_from_date > calendar_months.month_start then open_intervals.valid_from_date
            else calendar_months.month_start
        end as month_piece_from,
        case
            when open_intervals.valid_to_date < calendar_months.month_end then open_intervals.valid_to_date
            else calendar_months.month_end
        end as month_piece_to,
        deals.owner_rep_id
    from open_intervals
    inner join deals
        on open_intervals.deal_id = deals.deal_id
    inner join calendar_months
        on open_intervals.valid_to_date >= calendar_months.month_start
        and open_intervals.valid_from_date <= calendar_months.month_end
),

pieces as (
    select
        interval_pieces.deal_id,
        interval_pieces.stage,
        interval_pieces.stage_order,
        interval_pieces.lead_source,
        coalesce(rep_segment_teams.team_id, {{ unknown_member() }}) as team_id,
        coalesce(rep_segment_teams.team_name, {{ unknown_member() }}) as team_name,
        case
            when rep_segment_teams.segment_start > interval_pieces.month_piece_from then rep_segment_teams.segment_start
            else interval_pieces.month_piece_from
        end as piece_from,
        case
            when rep_segment_teams.segment_end < interval_pieces.month_piece_to then rep_segment_teams.segment_end
            else interval_pieces.month_piece_to
        end as piece_to,
        cast(interval_pieces.amount_local * fx_rates.rate_to_reporting as decimal(18, 2)) as amount,
        case when fx_rates.rate_to_reporting is null then 1 else 0 end as is_missing_fx_rate
    from interval_pieces
    left join rep_segment_teams
        on interval_pieces.owner_rep_id = rep_segment_teams.rep_id
        and interval_pieces.month_piece_to >= rep_segment_teams.segment_start
        and interval_pieces.month_piece_from <= rep_segment_teams.segment_end
    left join fx_rates
        on interval_pieces.month_start = cast(fx_rates.rate_month as date)
        and interval_pieces.currency_code = fx_rates.currency_code
),

final as (
    select
        deal_id,
        team_id,
        team_name,
        stage,
        stage_order,
        lead_source,
        piece_from,
        piece_to,
        amount,
        is_missing_fx_rate,
        {{ integer_hash([
            'team_id', 'team_name', 'stage', 'stage_order', 'lead_source', 'amount', 'is_missing_fx_rate'
        ]) }} as piece_hash
    from pieces
)

select * from final
