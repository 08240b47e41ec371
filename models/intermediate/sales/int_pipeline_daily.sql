-- One row per day (reporting time zone) per owner team, open stage and lead source with at least
-- one open deal at the end of that day, up to var('as_of_date'): the point-in-time open pipeline
-- reconstructed from the stage history (int_deal_stage_transitions), not from the deal's stage
-- today. A deal is in the pipeline on a day when the stage change in effect at the end of that
-- day is an open stage. Amounts are the deal's amount converted at that day's month's FX rate
-- (the CRM export keeps only the current amount, so a deal's amount history is not replayed); a
-- deal with no rate that month is counted in open_deals_missing_fx_rate and left out of the
-- amount. Deals count for the owner's team on that day.
--
-- Built from events, not by expanding every deal to every day it is open (deals × days): each
-- open interval is cut where its FX month or its owner's team changes, becomes a +1 on its first
-- day and a -1 the day after its last, and running sums per team, stage and lead source give the
-- balance; only the output rows are expanded to days.

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

day_numbers as (
    {{ dbt.generate_series(31) }}
),

calendar_days as (
    select
        cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'calendar_months.month_start') }} as date)
            as calendar_date,
        {{ dbt.datediff('calendar_months.month_start', dbt.dateadd('month', 1, 'calendar_months.month_start'), 'day') }}
            as days_in_month,
        day_numbers.generated_number as day_of_month
    from calendar_months
    cross join day_numbers
),

-- the calendar's days up to the as-of date
days as (
    select calendar_days.calendar_date as pipeline_date
    from calendar_days
    cross join bounds
    where
        calendar_days.day_of_month <= calendar_days.days_in_month
        and calendar_days.calendar_date >= bounds.calendar_start_date
        and calendar_days.calendar_date <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
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

-- Each piece is two balance changes: +1 on its first day and -1 the day after its last (none
-- when it is still open at the as-of date). One pass over the pieces with a two-row edge list,
-- not a union of two reads: a CTE read twice is materialised (all pieces held at once).
piece_edges as (
    select 1 as edge_sign
    union all
    select -1 as edge_sign
),

balance_changes as (
    select
        pieces.team_id,
        pieces.team_name,
        pieces.stage,
        pieces.stage_order,
        pieces.lead_source,
        case
            when piece_edges.edge_sign = 1 then pieces.piece_from
            else cast({{ dbt.dateadd('day', 1, 'pieces.piece_to') }} as date)
        end as change_date,
        piece_edges.edge_sign as deals_change,
        case
            when piece_edges.edge_sign = 1 then coalesce(pieces.amount, 0)
            else -coalesce(pieces.amount, 0)
        end as amount_change,
        piece_edges.edge_sign * pieces.is_missing_fx_rate as missing_fx_change
    from pieces
    cross join piece_edges
    where
        piece_edges.edge_sign = 1
        or pieces.piece_to < {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
),

daily_changes as (
    select
        team_id,
        max(team_name) as team_name,
        stage,
        stage_order,
        lead_source,
        change_date,
        sum(deals_change) as deals_change,
        sum(amount_change) as amount_change,
        sum(missing_fx_change) as missing_fx_change
    from balance_changes
    group by team_id, stage, stage_order, lead_source, change_date
),

-- The balance from each change date until the day before the next one.
{%- set next_change = 'lead(change_date) over (partition by team_id, stage, stage_order, lead_source order by change_date)' %}
balances as (
    select
        team_id,
        team_name,
        stage,
        stage_order,
        lead_source,
        change_date as balance_from,
        coalesce(
            cast({{ dbt.dateadd('day', -1, next_change) }} as date),
            {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
        ) as balance_to,
        sum(deals_change) over (
            partition by team_id, stage, stage_order, lead_source order by change_date
            rows between unbounded preceding and current row
        ) as open_deals,
        sum(amount_change) over (
            partition by team_id, stage, stage_order, lead_source order by change_date
            rows between unbounded preceding and current row
        ) as open_pipeline_amount,
        sum(missing_fx_change) over (
            partition by team_id, stage, stage_order, lead_source order by change_date
            rows between unbounded preceding and current row
        ) as open_deals_missing_fx_rate
    from daily_changes
),

final as (
    select
        days.pipeline_date,
        cast({{ dbt.date_trunc('month', 'days.pipeline_date') }} as date) as pipeline_month,
        balances.team_id,
        balances.team_name,
        balances.stage,
        balances.stage_order,
        balances.lead_source,
        balances.open_deals,
        cast(balances.open_pipeline_amount as decimal(18, 2)) as open_pipeline_amount,
        balances.open_deals_missing_fx_rate
    from balances
    inner join days
        on days.pipeline_date between balances.balance_from and balances.balance_to
    where balances.open_deals > 0
)

select * from final
