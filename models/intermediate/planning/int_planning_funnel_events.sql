-- One row per funnel event up to var('as_of_date') that the KGI → KPI back-calculation
-- (kpi_planning) needs, with the month it counts in (reporting time zone) and the rep and team
-- it counts for: opportunities created (created month, the owner's team on the creation date),
-- leads created (created month, the owner's team on that date; converted = became an
-- opportunity by the as-of date, the lead cohort view of the lead → opportunity rate) and calls
-- made (connected or not). Deals won and closed and won revenue are not here: kpi_planning reads
-- them from fct_kpi_team_performance_monthly. Built here because no shared lead lifecycle model
-- exists yet; when one lands, read leads from it.

with

deals as {{ cte_materialization(false) }} (
    select * from {{ ref('int_deals_enriched') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

activities as (
    select * from {{ ref('int_activities_enriched') }}
),

assignments as {{ cte_materialization(false) }} (
    select * from {{ ref('int_rep_team_assignments') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

as_of as (
    select {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as as_of_date
),

created_deals as (
    select
        'opportunity_created' as event_type,
        deals.deal_id as event_id,
        deals.owner_rep_id as rep_id,
        deals.owner_rep_name as rep_name,
        coalesce(assignments.team_id, {{ unknown_member() }}) as team_id,
        coalesce(assignments.team_name, {{ unknown_member() }}) as team_name,
        deals.created_month as month_start,
        false as is_converted,
        false as is_connected
    from deals
    left join assignments
        on deals.owner_rep_id = assignments.rep_id
        and deals.created_date between assignments.valid_from and assignments.valid_to
),

leads_local as (
    select
        leads.lead_id,
        leads.owner_rep_id,
        leads.converted_deal_id,
        {{ to_local_date('leads.created_at') }} as created_date,
        {{ to_local_date('leads.converted_at') }} as converted_date
    from leads
),

created_leads as (
    select
        'lead_created' as event_type,
        leads_local.lead_id as event_id,
        case when reps.rep_id is null then {{ unknown_member() }} else leads_local.owner_rep_id end as rep_id,
        coalesce(reps.rep_name, {{ unknown_member() }}) as rep_name,
        coalesce(assignments.team_id, {{ unknown_member() }}) as team_id,
        coalesce(assignments.team_name, {{ unknown_member() }}) as team_name,
        cast({{ dbt.date_trunc('month', 'leads_local.created_date') }} as date) as month_start,
        coalesce(leads_local.converted_deal_id is not null and leads_local.converted_date <= as_of.as_of_date, false)
            as is_converted,
        false as is_connected
    from leads_local
    cross join as_of
    left join assignments
        on leads_local.owner_rep_id = assignments.rep_id
        and leads_local.created_date between assignments.valid_from and assignments.valid_to
    left join reps
        on leads_local.owner_rep_id = reps.rep_id
    where leads_local.created_date <= as_of.as_of_date
),

calls as (
    select
        'call_made' as event_type,
        activity_id as event_id,
        rep_id,
        rep_name,
        team_id,
        team_name,
        activity_month as month_start,
        false as is_converted,
        outcome = 'connected' as is_connected
    from activities
    where activity_class = 'call'
),

final as (
    select * from created_deals
    union all
    select * from created_leads
    union all
    select * from calls
)

select * from final
