-- One row per staged row whose reference to another table cannot be resolved: the reference is
-- empty (missing_reference) or names no staged row of its parent (unknown_reference). Staging
-- judges each table by itself, so such rows are staged, not rejected; the intermediate layer
-- counts them under the (unknown) rep, team, account or product, and this model tells the user which
-- rows those are. `severity`: warn where a KPI attributes the row to (unknown); info where an
-- empty reference is normal (a deal with no lead, an open deal with no account). Also listed:
-- a rep's team assignment that is still open when the rep's next one starts (overlapping_range;
-- int_rep_team_assignments ends it the day before), and a deal dated outside the calendar
-- (outside_calendar: int_calendar_bounds; the vars when set, else the data's dates from 30 years
-- before to 10 after as_of_date), which no KPI period can hold.
{%- set references = [
    {'entity': 'deals', 'key': 'deal_id', 'column': 'owner_rep_id', 'parent': 'reps', 'parent_key': 'rep_id', 'missing': 'warn'},
    {'entity': 'deals', 'key': 'deal_id', 'column': 'account_id', 'parent': 'accounts', 'parent_key': 'account_id', 'missing': 'info'},
    {'entity': 'deals', 'key': 'deal_id', 'column': 'lead_id', 'parent': 'leads', 'parent_key': 'lead_id', 'missing': none},
    {'entity': 'deals', 'key': 'deal_id', 'column': 'product_id', 'parent': 'products', 'parent_key': 'product_id', 'missing': none},
    {'entity': 'deal_stage_history', 'key': 'stage_history_id', 'column': 'deal_id', 'parent': 'deals', 'parent_key': 'deal_id', 'missing': 'warn'},
    {'entity': 'activities', 'key': 'activity_id', 'column': 'rep_id', 'parent': 'reps', 'parent_key': 'rep_id', 'missing': 'warn'},
    {'entity': 'email_events', 'key': 'email_event_id', 'column': 'rep_id', 'parent': 'reps', 'parent_key': 'rep_id', 'missing': 'warn'},
    {'entity': 'leads', 'key': 'lead_id', 'column': 'owner_rep_id', 'parent': 'reps', 'parent_key': 'rep_id', 'missing': 'warn'},
    {'entity': 'accounts', 'key': 'account_id', 'column': 'owner_rep_id', 'parent': 'reps', 'parent_key': 'rep_id', 'missing': none},
    {'entity': 'contracts', 'key': 'contract_id', 'column': 'account_id', 'parent': 'accounts', 'parent_key': 'account_id', 'missing': 'warn'},
    {'entity': 'quotas', 'key': 'quota_id', 'column': 'rep_id', 'parent': 'reps', 'parent_key': 'rep_id', 'missing': 'warn'},
    {'entity': 'quotes', 'key': 'quote_id', 'column': 'deal_id', 'parent': 'deals', 'parent_key': 'deal_id', 'missing': 'warn'},
    {'entity': 'rep_team_history', 'key': 'rep_id', 'column': 'rep_id', 'parent': 'reps', 'parent_key': 'rep_id', 'missing': 'warn'},
    {'entity': 'rep_team_history', 'key': 'rep_id', 'column': 'team_id', 'parent': 'teams', 'parent_key': 'team_id', 'missing': 'warn'},
    {'entity': 'revenue_goals', 'key': 'goal_id', 'column': 'team_id', 'parent': 'teams', 'parent_key': 'team_id', 'missing': none},
    {'entity': 'service_requests', 'key': 'request_id', 'column': 'account_id', 'parent': 'accounts', 'parent_key': 'account_id', 'missing': 'warn'},
    {'entity': 'training_enrolments', 'key': 'enrolment_id', 'column': 'rep_id', 'parent': 'reps', 'parent_key': 'rep_id', 'missing': 'warn'},
    {'entity': 'training_assessments', 'key': 'assessment_id', 'column': 'rep_id', 'parent': 'reps', 'parent_key': 'rep_id', 'missing': 'warn'},
    {'entity': 'content_usage', 'key': 'usage_id', 'column': 'asset_id', 'parent': 'content_assets', 'parent_key': 'asset_id', 'missing': 'warn'},
    {'entity': 'content_usage', 'key': 'usage_id', 'column': 'rep_id', 'parent': 'reps', 'parent_key': 'rep_id', 'missing': 'warn'},
] %}

with

calendar_bounds as {{ cte_materialization(false) }} (
    select * from {{ ref('int_calendar_bounds') }}
),

{% for reference in references %}
{{ reference.entity }}_{{ reference.column }}_findings as (
    select
        '{{ reference.entity }}' as entity,
        cast(child.{{ reference.key }} as {{ dbt.type_string() }}) as record_key,
        case when child.{{ reference.column }} is null then 'missing_reference' else 'unknown_reference' end as check_name,
        '{{ reference.column }}' as column_name,
        child.{{ reference.column }} as column_value,
        '{{ reference.parent }}' as parent_entity,
        case when child.{{ reference.column }} is null then '{{ reference.missing }}' else 'warn' end as severity
    from {{ ref('stg_crm__' ~ reference.entity) }} as child
    left join {{ ref('stg_crm__' ~ reference.parent) }} as parent
        on child.{{ reference.column }} = parent.{{ reference.parent_key }}
    where
        parent.{{ reference.parent_key }} is null
        {%- if not reference.missing %}
        and child.{{ reference.column }} is not null
        {%- endif %}
),

{% endfor %}
overlapping_assignments as (
    select
        rep_id,
        valid_from,
        valid_to,
        team_id,
        lead(valid_from) over (partition by rep_id order by valid_from) as next_valid_from
    from {{ ref('stg_crm__rep_team_history') }}
),

overlapping_range_findings as (
    select
        'rep_team_history' as entity,
        {{ dbt.concat(['rep_id', "' / '", dbt.cast('valid_from', dbt.type_string())]) }} as record_key,
        'overlapping_range' as check_name,
        'valid_to' as column_name,
        {{ dbt.cast('valid_to', dbt.type_string()) }} as column_value,
        'rep_team_history' as parent_entity,
        'warn' as severity
    from overlapping_assignments
    cross join calendar_bounds as bounds
    where overlapping_assignments.next_valid_from <= coalesce(overlapping_assignments.valid_to, bounds.calendar_end_date)
),

deal_dates as (
    select
        deal_id,
        {{ to_local_date('created_at') }} as created_date,
        {{ to_local_date('closed_at') }} as closed_date
    from {{ ref('stg_crm__deals') }}
),

deals_outside_calendar as (
    select
        deal_dates.deal_id,
        deal_dates.created_date,
        deal_dates.closed_date,
        deal_dates.created_date < bounds.calendar_start_date or deal_dates.created_date > bounds.calendar_end_date
            as is_created_outside
    from deal_dates
    cross join calendar_bounds as bounds
    where
        deal_dates.created_date < bounds.calendar_start_date
        or deal_dates.created_date > bounds.calendar_end_date
        or deal_dates.closed_date < bounds.calendar_start_date
        or deal_dates.closed_date > bounds.calendar_end_date
),

outside_calendar_findings as (
    select
        'deals' as entity,
        deal_id as record_key,
        'outside_calendar' as check_name,
        case when is_created_outside then 'created_at' else 'closed_at' end as column_name,
        {{ dbt.cast('case when is_created_outside then created_date else closed_date end', dbt.type_string()) }}
            as column_value,
        'calendar' as parent_entity,
        'warn' as severity
    from deals_outside_calendar
),

all_findings as (
    select * from overlapping_range_findings
    union all
    select * from outside_calendar_findings
    union all
    {% for reference in references %}
    select * from {{ reference.entity }}_{{ reference.column }}_findings
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        entity,
        record_key,
        check_name,
        column_name,
        column_value,
        parent_entity,
        severity,
        case
            when check_name = 'overlapping_range'
                then 'the assignment is still open when the next one of the same rep starts: it ends the day before'
            when check_name = 'outside_calendar'
                then 'outside the calendar (int_calendar_bounds: vars calendar_start_date .. calendar_end_date, else the data from 30 years before to 10 years after as_of_date), so no KPI period holds it: fix the date or set the vars'  -- noqa: LT05
            when check_name = 'missing_reference'
                then {{ dbt.concat(['column_name', "' is empty: counted under the (unknown) member of '", 'parent_entity']) }}
            else {{ dbt.concat(['column_name', "' names no staged row of '", 'parent_entity', "': counted under the (unknown) member'"]) }}
        end as finding_text
    from all_findings
)

select * from final
