-- One row per lead created on or before var('as_of_date'): its lifecycle created → MQL → SQL →
-- opportunity → customer, with UTC timestamps and reporting-time-zone dates and months, each
-- milestone only when reached by the as-of date. Shared by the leads and growth marts, so the
-- cohort KPIs (lead → opportunity, MQL → SQL, lead → customer) are computed from one place.
-- A lead becomes an opportunity when the first deal originating from it is created (deals.lead_id,
-- or leads.converted_deal_id; the CRM's converted_at when that deal was not staged) and a
-- customer when the first such deal is won. A lead that reached SQL without an MQL date counts as
-- reaching MQL at its SQL time. Lead KPIs count for the owner's team on the lead's creation date.
--
-- Incremental (replace_slice with lead_lifecycles_slice, macros/incremental/): each row carries
-- the fingerprint of its inputs (the lead row, its linked deals, its owner's history) and the
-- next date a hidden milestone becomes visible; a run rebuilds only the leads whose fingerprint
-- changed (changed, new or gone) or whose milestones a moved as-of date reveals or hides. On
-- Spark the table is partitioned by created_month and a run overwrites the months it touches.
{{ config(**replace_slice_config('lead_lifecycles_slice', 'created_month', 'lead_id')) }}
{%- set owner_history_hash = 'coalesce(owner_histories.rep_history_hash, unknown_history.rep_history_hash)' %}

{%- set far_date = dbt.cast(sql_string_literal('9999-12-31'), 'date') %}

with

leads as {{ cte_materialization(is_incremental()) }} (
    select * from {{ ref('stg_crm__leads') }}
    {%- if is_incremental() %}
    where {{ lead_lifecycles_slice() }}
    {%- endif %}
),

deals as {{ cte_materialization(false) }} (
    select * from {{ ref('int_deals_enriched') }}
),

assignments as (
    select * from {{ ref('int_rep_team_assignments') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

rep_histories as (
    {{ rep_history_hashes() | indent(4) }}
),

as_of as (
    select {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }} as as_of_date
),

lead_deal_links as (
    select lead_deal_links.*
    from (
        {{ lead_deal_links() | indent(8) }}
    ) as lead_deal_links
    {%- if is_incremental() %}
    where lead_deal_links.lead_id in (select leads.lead_id from leads)
    {%- endif %}
),

lead_deals as (
    select
        lead_deal_links.lead_id,
        count(*) as opportunities,
        min(deals.created_at) as first_deal_created_at,
        min(case when deals.is_won then deals.closed_at end) as first_won_at,
        min(case when deals.is_won then deals.closed_date end) as first_won_date,
        sum(case when deals.is_won then 1 else 0 end) as deals_won,
        sum({{ linked_deal_hash() }}) as deals_fingerprint
    from lead_deal_links
    inner join deals
        on lead_deal_links.deal_id = deals.deal_id
    group by lead_deal_links.lead_id
),

leads_local as (
    select
        leads.lead_id,
        leads.lead_source,
        leads.status,
        leads.owner_rep_id,
        leads.created_at,
        coalesce(leads.mql_at, leads.sql_at) as mql_at,
        leads.sql_at,
        coalesce(lead_deals.first_deal_created_at, leads.converted_at) as opportunity_at,
        lead_deals.first_won_at as customer_at,
        coalesce(lead_deals.opportunities, 0) as opportunities,
        coalesce(lead_deals.deals_won, 0) as deals_won,
        {{ to_local_date('leads.created_at') }} as created_date,
        {{ to_local_date('coalesce(leads.mql_at, leads.sql_at)') }} as mql_date_local,
        {{ to_local_date('leads.sql_at') }} as sql_date_local,
        {{ to_local_date('coalesce(lead_deals.first_deal_created_at, leads.converted_at)') }} as opportunity_date_local,
        lead_deals.first_won_date as customer_date,
        as_of.as_of_date,
        -- the fingerprint of the lead's inputs (lead_input_fingerprints(), which an incremental
        -- run compares with it, computes the same)
        {{ lead_row_hash(owner_history_hash) }} + coalesce(lead_deals.deals_fingerprint, 0) as input_fingerprint
    from leads
    cross join as_of
    left join lead_deals
        on leads.lead_id = lead_deals.lead_id
    left join rep_histories as owner_histories
        on leads.owner_rep_id = owner_histories.rep_id
    left join rep_histories as unknown_history
        on unknown_history.rep_id = {{ unknown_member() }}
),

milestones_as_of as (
    select
        leads_local.*,
        -- the first date after the as-of date a hidden milestone becomes visible (9999-12-31: none)
        least(
            coalesce(case when leads_local.mql_date_local > leads_local.as_of_date then leads_local.mql_date_local end, {{ far_date }}),
            coalesce(case when leads_local.sql_date_local > leads_local.as_of_date then leads_local.sql_date_local end, {{ far_date }}),
            coalesce(
                case when leads_local.opportunity_date_local > leads_local.as_of_date then leads_local.opportunity_date_local end,
                {{ far_date }}
            )
        ) as next_hidden_milestone_date,
        case when leads_local.mql_date_local <= leads_local.as_of_date then leads_local.mql_date_local end as mql_date,
        case when leads_local.sql_date_local <= leads_local.as_of_date then leads_local.sql_date_local end as sql_date,
        case
            when leads_local.opportunity_date_local <= leads_local.as_of_date then leads_local.opportunity_date_local
        end as opportunity_date
    from leads_local
    where leads_local.created_date <= leads_local.as_of_date
),

final as (
    select
        milestones_as_of.lead_id,
        milestones_as_of.lead_source,
        milestones_as_of.status,
        case when reps.rep_id is null then {{ unknown_member() }} else milestones_as_of.owner_rep_id end as owner_rep_id,
        coalesce(reps.rep_name, {{ unknown_member() }}) as owner_rep_name,
        coalesce(assignments.team_id, {{ unknown_member() }}) as owner_team_id,
        coalesce(assignments.team_name, {{ unknown_member() }}) as owner_team_name,
        milestones_as_of.created_at,
        case when milestones_as_of.mql_date is not null then milestones_as_of.mql_at end as mql_at,
        case when milestones_as_of.sql_date is not null then milestones_as_of.sql_at end as sql_at,
        case when milestones_as_of.opportunity_date is not null then milestones_as_of.opportunity_at end as opportunity_at,
        milestones_as_of.customer_at,
        milestones_as_of.created_date,
        milestones_as_of.mql_date,
        milestones_as_of.sql_date,
        milestones_as_of.opportunity_date,
        milestones_as_of.customer_date,
        cast({{ dbt.date_trunc('month', 'milestones_as_of.created_date') }} as date) as created_month,
        cast({{ dbt.date_trunc('month', 'milestones_as_of.mql_date') }} as date) as mql_month,
        cast({{ dbt.date_trunc('month', 'milestones_as_of.sql_date') }} as date) as sql_month,
        cast({{ dbt.date_trunc('month', 'milestones_as_of.opportunity_date') }} as date) as opportunity_month,
        cast({{ dbt.date_trunc('month', 'milestones_as_of.customer_date') }} as date) as customer_month,
        milestones_as_of.mql_date is not null as is_mql,
        milestones_as_of.sql_date is not null as is_sql,
        milestones_as_of.opportunity_date is not null as is_opportunity,
        milestones_as_of.customer_date is not null as is_customer,
        case
            when milestones_as_of.customer_date is not null then 'customer'
            when milestones_as_of.opportunity_date is not null then 'opportunity'
            when milestones_as_of.sql_date is not null then 'sql'
            when milestones_as_of.mql_date is not null then 'mql'
            else 'lead'
        end as lifecycle_stage,
        milestones_as_of.opportunities,
        milestones_as_of.deals_won,
        cast(
            {{ dbt.datediff('milestones_as_of.created_date', 'milestones_as_of.opportunity_date', 'day') }} as integer  -- noqa: LT05
        ) as days_to_opportunity,
        cast(
            {{ dbt.datediff('milestones_as_of.created_date', 'milestones_as_of.customer_date', 'day') }} as integer  -- noqa: LT05
        ) as days_to_customer,
        milestones_as_of.input_fingerprint,
        case
            when milestones_as_of.next_hidden_milestone_date < {{ far_date }} then milestones_as_of.next_hidden_milestone_date
        end as next_milestone_date
    from milestones_as_of
    left join assignments
        on milestones_as_of.owner_rep_id = assignments.rep_id
        and milestones_as_of.created_date between assignments.valid_from and assignments.valid_to
    left join reps
        on milestones_as_of.owner_rep_id = reps.rep_id
)

{{ select_with_partition_rows('final', 'created_month') }}
