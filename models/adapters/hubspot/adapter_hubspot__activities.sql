-- The contract's activities from HubSpot engagements (input_mode hubspot): calls, meetings,
-- e-mails, notes and tasks (engagement_call / _meeting / _email / _note / _task), live rows only
-- (not _fivetran_deleted), every column as text. The activity type is the property var
-- hubspot_activity_type_property names (HubSpot's "call and meeting type", hs_activity_type), else
-- the engagement type (CALL, MEETING, EMAIL, INCOMING_EMAIL, NOTE, TASK; presets translate those
-- the mapping seed does not know). Owner and time fall back to the engagement table. A call's
-- duration is hs_call_duration (milliseconds), a meeting's its end minus its start. The outcome is
-- the call disposition, meeting outcome, e-mail status or task status through the preset
-- map_hubspot_activity_outcomes (an outcome it does not know is left empty). Deal, lead and
-- account are the engagement's associated deal, contact and company (lowest id).
{%- set activity_type_column = hubspot_property_var('hubspot_activity_type_property') %}
{%- set value_added_column = hubspot_property_var('hubspot_value_added_call_property') %}

with

calls as (
    {{ hubspot_table('engagement_call', [
        ['activity_id', 'engagement_id', 'text'],
        ['engagement_type', 'type', 'text'],
        ['activity_type', activity_type_column, 'text'],
        ['rep_id', 'property_hubspot_owner_id', 'text'],
        ['started_at', 'property_hs_timestamp', 'timestamp'],
        ['duration_ms', 'property_hs_call_duration', 'numeric'],
        ['outcome', 'property_hs_call_disposition', 'text'],
        ['is_value_added', value_added_column, 'text'],
    ]) | indent(4) }}
),

meetings as (
    {{ hubspot_table('engagement_meeting', [
        ['activity_id', 'engagement_id', 'text'],
        ['engagement_type', 'type', 'text'],
        ['activity_type', activity_type_column, 'text'],
        ['rep_id', 'property_hubspot_owner_id', 'text'],
        ['started_at', ['property_hs_meeting_start_time', 'start_time', 'property_hs_timestamp'], 'timestamp'],
        ['start_time', ['property_hs_meeting_start_time', 'start_time', 'property_hs_timestamp'], 'instant'],
        ['end_time', ['property_hs_meeting_end_time', 'end_time'], 'instant'],
        ['outcome', ['property_hs_meeting_outcome', 'meeting_outcome'], 'text'],
    ]) | indent(4) }}
),

emails as (
    {{ hubspot_table('engagement_email', [
        ['activity_id', 'engagement_id', 'text'],
        ['engagement_type', 'type', 'text'],
        ['rep_id', 'property_hubspot_owner_id', 'text'],
        ['started_at', 'property_hs_timestamp', 'timestamp'],
        ['outcome', 'property_hs_email_status', 'text'],
    ]) | indent(4) }}
),

notes as (
    {{ hubspot_table('engagement_note', [
        ['activity_id', 'engagement_id', 'text'],
        ['engagement_type', 'type', 'text'],
        ['rep_id', 'property_hubspot_owner_id', 'text'],
        ['started_at', 'property_hs_timestamp', 'timestamp'],
    ]) | indent(4) }}
),

tasks as (
    {{ hubspot_table('engagement_task', [
        ['activity_id', 'engagement_id', 'text'],
        ['engagement_type', 'type', 'text'],
        ['rep_id', 'property_hubspot_owner_id', 'text'],
        ['started_at', 'property_hs_timestamp', 'timestamp'],
        ['outcome', 'property_hs_task_status', 'text'],
    ]) | indent(4) }}
),

engagements as (
    {{ hubspot_table('engagement', [
        ['activity_id', 'id', 'text'],
        ['engagement_type', 'type', 'text'],
        ['rep_id', 'owner_id', 'text'],
        ['started_at', 'timestamp', 'timestamp'],
    ]) | indent(4) }}
),

engagement_deals as (
    {{ hubspot_table('engagement_deal', [['activity_id', 'engagement_id', 'text'], ['deal_id', 'deal_id', 'text']]) | indent(4) }}
),

engagement_contacts as (
    {{ hubspot_table('engagement_contact', [['activity_id', 'engagement_id', 'text'], ['lead_id', 'contact_id', 'text']]) | indent(4) }}
),

engagement_companies as (
    {{ hubspot_table('engagement_company', [['activity_id', 'engagement_id', 'text'], ['account_id', 'company_id', 'text']]) | indent(4) }}
),

type_mapping as (
    select shipped_types.source_value
    from {{ mapping('map_activity_types') }} as shipped_types
),

type_presets as (
    select
        source_value,
        contract_value
    from {{ ref('map_hubspot_activity_types') }}
),

outcome_presets as (
    select
        engagement_type,
        source_value,
        contract_value
    from {{ ref('map_hubspot_activity_outcomes') }}
),

typed_engagements as (
    select
        activity_id,
        'call' as engagement_table,
        engagement_type,
        activity_type,
        rep_id,
        started_at,
        cast(
            cast(round(duration_ms / 60000, 0) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }}
        ) as duration_minutes,
        outcome,
        is_value_added
    from calls
    where not hubspot_is_deleted
    union all
    select
        activity_id,
        'meeting' as engagement_table,
        engagement_type,
        activity_type,
        rep_id,
        started_at,
        cast(
            {{ dbt.datediff('start_time', 'end_time', 'minute') }}
            as {{ dbt.type_string() }}
        ) as duration_minutes,
        outcome,
        cast(null as {{ dbt.type_string() }}) as is_value_added
    from meetings
    where not hubspot_is_deleted
    union all
    select
        activity_id,
        'email' as engagement_table,
        engagement_type,
        cast(null as {{ dbt.type_string() }}) as activity_type,
        rep_id,
        started_at,
        cast(null as {{ dbt.type_string() }}) as duration_minutes,
        outcome,
        cast(null as {{ dbt.type_string() }}) as is_value_added
    from emails
    where not hubspot_is_deleted
    union all
    select
        activity_id,
        'note' as engagement_table,
        engagement_type,
        cast(null as {{ dbt.type_string() }}) as activity_type,
        rep_id,
        started_at,
        cast(null as {{ dbt.type_string() }}) as duration_minutes,
        cast(null as {{ dbt.type_string() }}) as outcome,
        cast(null as {{ dbt.type_string() }}) as is_value_added
    from notes
    where not hubspot_is_deleted
    union all
    select
        activity_id,
        'task' as engagement_table,
        engagement_type,
        cast(null as {{ dbt.type_string() }}) as activity_type,
        rep_id,
        started_at,
        cast(null as {{ dbt.type_string() }}) as duration_minutes,
        outcome,
        cast(null as {{ dbt.type_string() }}) as is_value_added
    from tasks
    where not hubspot_is_deleted
),

engagement_facts as (
    select
        activity_id,
        min(engagement_type) as engagement_type,
        min(rep_id) as rep_id,
        min(started_at) as started_at
    from engagements
    where not hubspot_is_deleted
    group by activity_id
),

activity_deals as (
    select
        activity_id,
        min(deal_id) as deal_id
    from engagement_deals
    where not hubspot_is_deleted
    group by activity_id
),

activity_leads as (
    select
        activity_id,
        min(lead_id) as lead_id
    from engagement_contacts
    where not hubspot_is_deleted
    group by activity_id
),

activity_accounts as (
    select
        activity_id,
        min(account_id) as account_id
    from engagement_companies
    where not hubspot_is_deleted
    group by activity_id
),

described as (
    select
        typed_engagements.activity_id,
        typed_engagements.engagement_table,
        coalesce(
            nullif(trim(typed_engagements.activity_type), ''),
            typed_engagements.engagement_type,
            engagement_facts.engagement_type,
            upper(typed_engagements.engagement_table)
        ) as activity_type,
        coalesce(typed_engagements.rep_id, engagement_facts.rep_id) as rep_id,
        coalesce(typed_engagements.started_at, engagement_facts.started_at) as started_at,
        typed_engagements.duration_minutes,
        typed_engagements.outcome,
        typed_engagements.is_value_added
    from typed_engagements
    left join engagement_facts
        on typed_engagements.activity_id = engagement_facts.activity_id
),

final as (
    select
        described.activity_id,
        {{ hubspot_translated('described.activity_type', 'type_mapping', 'type_presets') }} as activity_type,
        described.rep_id,
        activity_accounts.account_id,
        activity_deals.deal_id,
        activity_leads.lead_id,
        described.started_at,
        described.duration_minutes,
        outcome_presets.contract_value as outcome,
        described.is_value_added
    from described
    left join activity_accounts
        on described.activity_id = activity_accounts.activity_id
    left join activity_deals
        on described.activity_id = activity_deals.activity_id
    left join activity_leads
        on described.activity_id = activity_leads.activity_id
    left join type_mapping
        on {{ normalise_code('described.activity_type') }} = type_mapping.source_value
    left join type_presets
        on {{ normalise_code('described.activity_type') }} = type_presets.source_value
    left join outcome_presets
        on described.engagement_table = outcome_presets.engagement_type
        and {{ normalise_code('described.outcome') }} = outcome_presets.source_value
)

select * from final
