-- One row per rep, team, lead source and month (reporting time zone) with any lead-family event:
-- the additive monthly parts of the leads KPI family (KPI_CATALOGUE.md section B), summed once
-- here and read by fct_kpi_leads_monthly (which the leads marts roll up). Each measure
-- counts in the month of its own event: leads and the lead → opportunity cohort by lead creation;
-- the MQL → SQL cohort by MQL date; opportunities by deal creation (owner's team that day);
-- calls by call date; e-mails by send date. Lead cohorts count for the lead owner's team on the
-- lead's creation date. lead_source is 'no_lead' when the event has no lead (a call or deal on an
-- existing account, an e-mail to a contact).
{%- set measures = {
    'lead_cohorts': ['new_leads', 'cohort_leads_to_opportunity'],
    'mql_cohorts': ['mql_leads', 'mql_leads_to_sql'],
    'opportunity_facts': ['new_opportunities'],
    'lead_linked_facts': [
        'outbound_calls', 'connected_calls', 'emails_sent', 'emails_bounced', 'emails_opened'
    ],
} %}

with

lead_lifecycles as {{ cte_materialization(false) }} (
    select * from {{ ref('int_lead_lifecycles') }}
),

deals as {{ cte_materialization(false) }} (
    select * from {{ ref('int_deals_enriched') }}
),

activities as {{ cte_materialization(false) }} (
    select * from {{ ref('int_activities_enriched') }}
),

email_events as {{ cte_materialization(false) }} (
    select * from {{ ref('stg_crm__email_events') }}
),

assignments as {{ cte_materialization(false) }} (
    select * from {{ ref('int_rep_team_assignments') }}
),

reps as {{ cte_materialization(false) }} (
    select * from {{ ref('stg_crm__reps') }}
),

lead_cohorts as (
    select
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        owner_team_id as team_id,
        owner_team_name as team_name,
        lead_source,
        created_month as month_start,
        1 as new_leads,
        case when is_opportunity then 1 else 0 end as cohort_leads_to_opportunity
    from lead_lifecycles
),

mql_cohorts as (
    select
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        owner_team_id as team_id,
        owner_team_name as team_name,
        lead_source,
        mql_month as month_start,
        1 as mql_leads,
        case when is_sql then 1 else 0 end as mql_leads_to_sql
    from lead_lifecycles
    where is_mql
),

opportunity_facts as (
    select
        owner_rep_id as rep_id,
        owner_rep_name as rep_name,
        created_team_id as team_id,
        created_team_name as team_name,
        coalesce(lead_source, 'no_lead') as lead_source,
        created_month as month_start,
        1 as new_opportunities
    from deals
),

calls as {{ cte_materialization(false) }} (
    select
        rep_id,
        rep_name,
        team_id,
        team_name,
        lead_id,
        deal_id,
        activity_month as month_start,
        1 as outbound_calls,
        case when outcome = 'connected' then 1 else 0 end as connected_calls,
        0 as emails_sent,
        0 as emails_bounced,
        0 as emails_opened
    from activities
    where activity_class = 'call'
),

-- Lookups join only the rows whose key is set (left_join_where_key_set): most calls have no
-- deal and most e-mails no lead.
call_events as {{ cte_materialization(false) }} (
    {{ left_join_where_key_set(
        'calls', 'deal_id', 'deals', 'deal_id', {'fallback_lead_source': 'lead_source'}
    ) }}
),

emails as {{ cte_materialization(false) }} (
    select
        email_events.email_id,
        max(case when email_events.event_type = 'sent' then email_events.rep_id end) as rep_id,
        max(email_events.lead_id) as lead_id,
        min(case when email_events.event_type = 'sent' then email_events.occurred_at end) as sent_at,
        max(case when email_events.event_type = 'bounced' then 1 else 0 end) as is_bounced,
        max(case when email_events.event_type = 'opened' then 1 else 0 end) as is_opened
    from email_events
    where {{ to_local_date('email_events.occurred_at') }} <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
    group by email_events.email_id
),

emails_sent as {{ cte_materialization(false) }} (
    select
        emails.*,
        {{ to_local_date('emails.sent_at') }} as sent_date
    from emails
    where emails.sent_at is not null
),

email_events_sent as {{ cte_materialization(false) }} (
    select
        case when reps.rep_id is null then {{ unknown_member() }} else emails_sent.rep_id end as rep_id,
        coalesce(reps.rep_name, {{ unknown_member() }}) as rep_name,
        coalesce(assignments.team_id, {{ unknown_member() }}) as team_id,
        coalesce(assignments.team_name, {{ unknown_member() }}) as team_name,
        emails_sent.lead_id,
        cast(null as {{ dbt.type_string() }}) as deal_id,
        cast({{ dbt.date_trunc('month', 'emails_sent.sent_date') }} as date) as month_start,
        0 as outbound_calls,
        0 as connected_calls,
        1 as emails_sent,
        emails_sent.is_bounced as emails_bounced,
        case when emails_sent.is_bounced = 0 then emails_sent.is_opened else 0 end as emails_opened,
        cast(null as {{ dbt.type_string() }}) as fallback_lead_source
    from emails_sent
    left join assignments
        on emails_sent.rep_id = assignments.rep_id
        and emails_sent.sent_date between assignments.valid_from and assignments.valid_to
    left join reps
        on emails_sent.rep_id = reps.rep_id
),

lead_linked_events as {{ cte_materialization(false) }} (
    select * from call_events
    union all
    select * from email_events_sent
),

-- Calls and e-mails look their lead's source up in one join to the lead table, not one each.
lead_linked_sources as (
    {{ left_join_where_key_set(
        'lead_linked_events', 'lead_id', 'lead_lifecycles', 'lead_id',
        {'lead_lead_source': 'lead_source'}
    ) }}
),

lead_linked_facts as (
    select
        rep_id,
        rep_name,
        team_id,
        team_name,
        coalesce(lead_lead_source, fallback_lead_source, 'no_lead') as lead_source,
        month_start,
        outbound_calls,
        connected_calls,
        emails_sent,
        emails_bounced,
        emails_opened
    from lead_linked_sources
),

{%- set all_columns = [] %}
{%- for columns in measures.values() %}
{%- for column in columns %}
{%- do all_columns.append(column) %}
{%- endfor %}
{%- endfor %}

unioned as (
    {%- for fact, columns in measures.items() %}
    select
        rep_id,
        team_id,
        lead_source,
        month_start,
        {%- for column in all_columns %}
        {{ 'sum(' ~ column ~ ')' if column in columns else '0' }} as {{ column }},
        {%- endfor %}
        max(rep_name) as rep_name,
        max(team_name) as team_name
    from {{ fact }}
    group by rep_id, team_id, lead_source, month_start
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        rep_id,
        team_id,
        lead_source,
        month_start,
        {%- for column in all_columns %}
        sum({{ column }}) as {{ column }},
        {%- endfor %}
        max(rep_name) as rep_name,
        max(team_name) as team_name
    from unioned
    group by rep_id, team_id, lead_source, month_start
)

select * from final
