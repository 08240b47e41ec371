-- One row per activity logged on or before var('as_of_date'): the activity fact at its finest
-- grain, selected from int_activities_enriched (date and month in the reporting time zone, class,
-- selling flag, the rep's team on the activity date), with a foreign key to dim_rep and dim_team
-- and the fiscal calendar through the time spine (activity_date, activity_month). A view (a
-- table on Spark): a projection of a table the build already holds. The semantic model
-- `activity_events` reads it.

{#- A table on Spark, whose marts are Parquet tables (a view there re-plans its whole upstream
    for every query, and the cross-engine comparison reads the marts' files). -#}
{{ config(materialized='table' if target.type == 'spark' else 'view') }}

with

activities as (
    select * from {{ ref('int_activities_enriched') }}
),

final as (
    select
        activity_id,
        activity_date,
        activity_month,
        rep_id,
        team_id,
        activity_class,
        outcome,
        is_selling,
        activity_class = 'call' as is_call,
        coalesce(activity_class = 'call' and outcome = 'connected', false) as is_connected_call,
        is_value_added,
        duration_minutes
    from activities
)

select * from final
