-- The contract's activities from Salesforce tasks ∪ events (input_mode salesforce): live rows
-- only (not is_deleted, not _fivetran_deleted, the current _fivetran_active version).
-- - activity_type: a task's type, else its subtype (Call, Email, ...; a call_type alone makes it
--   a Call), else `Task`; an event's type, else its subtype (`Event`). Standard values the
--   mapping seed does not know are translated by the Salesforce presets.
-- - deal_id: what_id where it is a live opportunity; lead_id: who_id where it is a live lead
--   (a contact or another object stays empty); account_id: the account Salesforce derived.
-- - outcome: a call's call_disposition in the contract's words (connected / no_answer /
--   voicemail), else `sent` for a completed e-mail task and `completed` for another completed
--   task; an event's outcome comes from the custom field named by var
--   salesforce_event_outcome_field (Salesforce has none). Anything else stays empty.
-- - duration_minutes: the task custom field named by var salesforce_task_duration_field, else
--   call_duration_in_seconds (whole minutes); an event's duration_in_minutes.
-- - is_value_added: the task custom field named by var salesforce_task_value_added_field.
{%- set task_columns = salesforce_columns('task') %}
{%- set event_columns = salesforce_columns('event') %}
{%- set opportunity_columns = salesforce_columns('opportunity') %}
{%- set lead_columns = salesforce_columns('lead') %}

with

tasks as (
    select * from {{ source('salesforce', 'task') }}
),

events as (
    select * from {{ source('salesforce', 'event') }}
),

opportunities as (
    select * from {{ source('salesforce', 'opportunity') }}
),

leads as (
    select * from {{ source('salesforce', 'lead') }}
),

type_mapping as (
    select source_value from {{ mapping('map_activity_types') }}
),

type_presets as (
    select
        source_value,
        contract_value
    from {{ ref('map_salesforce_activity_types') }}
),

live_opportunities as (
    select distinct {{ salesforce_text(opportunity_columns, 'id') }} as deal_id
    from opportunities
    where {{ salesforce_is_live(opportunity_columns) }}
),

live_leads as (
    select distinct {{ salesforce_text(lead_columns, 'id') }} as lead_id
    from leads
    where {{ salesforce_is_live(lead_columns) }}
),

live_tasks as (
    select
        {{ salesforce_text(task_columns, 'id') }} as activity_id,
        {{ salesforce_text(task_columns, 'type') }} as task_type,
        {{ salesforce_text(task_columns, 'task_subtype') }} as task_subtype,
        {{ salesforce_text(task_columns, 'call_type') }} as call_type,
        {{ normalise_code(salesforce_text(task_columns, 'call_disposition')) }} as call_disposition,
        {{ normalise_code(salesforce_text(task_columns, 'status')) }} as status,
        {{ salesforce_text(task_columns, 'owner_id') }} as rep_id,
        {{ salesforce_text(task_columns, 'account_id') }} as account_id,
        {{ salesforce_text(task_columns, 'what_id') }} as what_id,
        {{ salesforce_text(task_columns, 'who_id') }} as who_id,
        coalesce(
            {{ salesforce_text(task_columns, 'completed_date_time') }},
            {{ salesforce_text(task_columns, 'created_date') }}
        ) as started_at,
        {{ salesforce_custom_text(task_columns, 'salesforce_task_duration_field', 'task') }} as custom_duration,
        {{ salesforce_text(task_columns, 'call_duration_in_seconds') }} as call_seconds,
        {{ salesforce_custom_text(task_columns, 'salesforce_task_value_added_field', 'task') }} as is_value_added
    from tasks
    where {{ salesforce_is_live(task_columns) }}
),

task_activities as (
    select
        activity_id,
        coalesce(
            task_type,
            case when task_subtype <> 'Task' then task_subtype end,
            case when call_type is not null then 'Call' end,
            task_subtype,
            'Task'
        ) as source_type,
        rep_id,
        account_id,
        what_id,
        who_id,
        started_at,
        coalesce(
            custom_duration,
            cast(cast(floor(cast(call_seconds as {{ type_double() }}) / 60) as {{ dbt.type_int() }}) as {{ dbt.type_string() }})
        ) as duration_minutes,
        case
            when {{ normalise_code('task_type') }} = 'call' or task_subtype = 'Call' or call_type is not null
                then
                    case
                        when call_disposition in ('connected', 'reached', 'answered') then 'connected'
                        when call_disposition in ('no answer', 'not answered', 'busy') then 'no_answer'
                        when call_disposition in ('left voicemail', 'voicemail', 'left message') then 'voicemail'
                    end
            when status = 'completed' and (
                    {{ normalise_code('task_type') }} = 'email' or task_subtype in ('Email', 'ListEmail')
                ) then 'sent'
            when status = 'completed' then 'completed'
        end as outcome,
        is_value_added
    from live_tasks
),

event_activities as (
    select
        {{ salesforce_text(event_columns, 'id') }} as activity_id,
        coalesce(
            {{ salesforce_text(event_columns, 'type') }},
            {{ salesforce_text(event_columns, 'event_subtype') }},
            'Event'
        ) as source_type,
        {{ salesforce_text(event_columns, 'owner_id') }} as rep_id,
        {{ salesforce_text(event_columns, 'account_id') }} as account_id,
        {{ salesforce_text(event_columns, 'what_id') }} as what_id,
        {{ salesforce_text(event_columns, 'who_id') }} as who_id,
        coalesce(
            {{ salesforce_text(event_columns, 'start_date_time') }},
            {{ salesforce_text(event_columns, 'activity_date_time') }}
        ) as started_at,
        {{ salesforce_text(event_columns, 'duration_in_minutes') }} as duration_minutes,
        {{ salesforce_custom_text(event_columns, 'salesforce_event_outcome_field', 'event') }} as outcome,
        cast(null as {{ dbt.type_string() }}) as is_value_added
    from events
    where {{ salesforce_is_live(event_columns) }}
),

all_activities as (
    select * from task_activities
    union all
    select * from event_activities
),

final as (
    select
        all_activities.activity_id,
        {{ salesforce_translated('all_activities.source_type', 'type_mapping', 'type_presets') }} as activity_type,
        all_activities.rep_id,
        all_activities.account_id,
        live_opportunities.deal_id,
        live_leads.lead_id,
        all_activities.started_at,
        all_activities.duration_minutes,
        all_activities.outcome,
        all_activities.is_value_added
    from all_activities
    left join live_opportunities
        on all_activities.what_id = live_opportunities.deal_id
    left join live_leads
        on all_activities.who_id = live_leads.lead_id
    left join type_mapping
        on {{ normalise_code('all_activities.source_type') }} = type_mapping.source_value
    left join type_presets
        on {{ normalise_code('all_activities.source_type') }} = type_presets.source_value
)

select * from final
