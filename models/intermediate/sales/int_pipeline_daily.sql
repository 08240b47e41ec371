-- One row per day (reporting time zone) per owner team, open stage and lead source with at least
-- one open deal at the end of that day, up to var('as_of_date'): the point-in-time open pipeline
-- reconstructed from the stage history, not from the deal's stage today. A deal is in the
-- pipeline on a day when the stage change in effect at the end of that day is an open stage.
-- Amounts are the deal's amount converted at that day's month's FX rate (the CRM export keeps
-- only the current amount, so a deal's amount history is not replayed); a deal with no rate that
-- month is counted in open_deals_missing_fx_rate and left out of the amount. Deals count for the
-- owner's team on that day.
--
-- Built from events, not by expanding every deal to every day it is open (deals × days): each
-- piece of an open interval (int_pipeline_pieces: constant team, stage, lead source and amount)
-- becomes a +1 on its first day and a -1 the day after its last, and running sums per team,
-- stage and lead source give the balance; only the output rows are expanded to days.
--
-- Incremental (replace_slice with pipeline_days_slice, macros/incremental/): each row carries its
-- day's fingerprint (the sum of the piece_hash of the pieces open that day); a run rebuilds the
-- days from the first one whose fingerprint changed, starting from the stored balances of the
-- day before it and the changes from that day on. A run with nothing changed rebuilds no day; a
-- daily run with new stage changes, or a later as-of date, rebuilds the days since. On Spark
-- the table is partitioned by pipeline_month and a run overwrites the months from the first
-- changed day's on (select_with_partition_rows).
-- The incremental slice also reads: depends_on: {{ ref('int_pipeline_pieces') }}
{{ config(**replace_slice_config('pipeline_days_slice', 'pipeline_month', 'pipeline_date')) }}

{%- set as_of = dbt.cast(sql_string_literal(var('as_of_date')), 'date') %}

with

pieces as (
    select * from {{ ref('int_pipeline_pieces') }}
),

calendar_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_calendar_months') }}
),

bounds as {{ cte_materialization(false) }} (
    select * from {{ ref('int_calendar_bounds') }}
),

-- Per day, the change of the fingerprint of the pieces open that day.
fingerprint_changes as (
    {{ pipeline_fingerprint_changes() | indent(4) }}
),

-- The first day this run builds: in a full build the first day of any piece (the days before
-- the calendar's first are still left out); in an incremental run the first whose fingerprint
-- changed (none when nothing did), from the changes above rather than a second pass over the
-- pieces.
rebuild_from as (
    {%- if is_incremental() %}
    select {{ pipeline_first_changed_day(current_changes='fingerprint_changes') | indent(4) }} as first_day
    {%- else %}
    select min(change_date) as first_day
    from fingerprint_changes
    {%- endif %}
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

-- the calendar's days this run builds, up to the as-of date
days as (
    select calendar_days.calendar_date as pipeline_date
    from calendar_days
    cross join bounds
    cross join rebuild_from
    where
        calendar_days.day_of_month <= calendar_days.days_in_month
        and calendar_days.calendar_date >= bounds.calendar_start_date
        and calendar_days.calendar_date >= rebuild_from.first_day
        and calendar_days.calendar_date <= {{ as_of }}
),

-- Each piece is two balance changes: +1 on its first day and -1 the day after its last (none
-- when it is still open at the as-of date). One pass over the pieces with a two-row edge list,
-- not a union of two reads: a CTE read twice is materialised (all pieces held at once).
piece_edges as (
    select 1 as edge_sign
    union all
    select -1 as edge_sign
),

piece_changes as (
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
        piece_edges.edge_sign * pieces.is_missing_fx_rate as missing_fx_change,
        1 as is_piece_change
    from pieces
    cross join piece_edges
    where
        piece_edges.edge_sign = 1
        or pieces.piece_to < {{ as_of }}
),

-- the changes this run applies: all in a full build, those from the first rebuilt day on in an
-- incremental run ...
changes_since as (
    select piece_changes.*
    from piece_changes
    cross join rebuild_from
    where piece_changes.change_date >= rebuild_from.first_day
),

-- ... on top of the stored balances of the day before it, carried in as changes on that day
carried_balances as (
    {%- if is_incremental() %}
    select
        stored_balances.team_id,
        stored_balances.team_name,
        stored_balances.stage,
        stored_balances.stage_order,
        stored_balances.lead_source,
        rebuild_from.first_day as change_date,
        stored_balances.open_deals as deals_change,
        stored_balances.open_pipeline_amount as amount_change,
        stored_balances.open_deals_missing_fx_rate as missing_fx_change,
        0 as is_piece_change
    from {{ this }} as stored_balances
    inner join rebuild_from
        on stored_balances.pipeline_date = cast({{ dbt.dateadd('day', -1, 'rebuild_from.first_day') }} as date)
    {%- else %}
    select * from piece_changes
    where 1 = 0
    {%- endif %}
),

balance_changes as (
    select * from changes_since
    union all
    select * from carried_balances
),

daily_changes as (
    select
        team_id,
        -- the name the day's own changes carry; a carried balance's only when there are none
        coalesce(max(case when is_piece_change = 1 then team_name end), max(team_name)) as team_name,
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
            {{ as_of }}
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

-- Each day's fingerprint: the running sum of its changes, constant until the next change.
{%- set next_fingerprint_change = 'lead(change_date) over (order by change_date)' %}
fingerprint_intervals as (
    select
        change_date as fingerprint_from,
        coalesce(cast({{ dbt.dateadd('day', -1, next_fingerprint_change) }} as date), {{ as_of }}) as fingerprint_to,
        sum(fingerprint_change) over (order by change_date rows between unbounded preceding and current row)
            as day_fingerprint
    from fingerprint_changes
),

day_fingerprints as (
    select
        days.pipeline_date,
        cast(fingerprint_intervals.day_fingerprint as bigint) as day_fingerprint
    from days
    inner join fingerprint_intervals
        on days.pipeline_date between fingerprint_intervals.fingerprint_from and fingerprint_intervals.fingerprint_to
),

final as (
    select
        day_fingerprints.pipeline_date,
        cast({{ dbt.date_trunc('month', 'day_fingerprints.pipeline_date') }} as date) as pipeline_month,
        balances.team_id,
        balances.team_name,
        balances.stage,
        balances.stage_order,
        balances.lead_source,
        balances.open_deals,
        cast(balances.open_pipeline_amount as decimal(18, 2)) as open_pipeline_amount,
        balances.open_deals_missing_fx_rate,
        day_fingerprints.day_fingerprint
    from balances
    inner join day_fingerprints
        on day_fingerprints.pipeline_date between balances.balance_from and balances.balance_to
    where balances.open_deals > 0
)

{{ select_with_partition_rows('final', 'pipeline_month') }}
