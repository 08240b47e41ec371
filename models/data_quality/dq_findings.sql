-- One row per staged row whose reference to another table cannot be resolved: the reference is
-- empty (missing_reference) or names no staged row of its parent (unknown_reference). Staging
-- judges each table by itself, so such rows are staged, not rejected; the intermediate layer
-- counts them under the (unknown) rep, team or account, and this model tells the user which
-- rows those are. `severity`: warn where a KPI attributes the row to (unknown); info where an
-- empty reference is normal (a deal with no lead, an open deal with no account).
{%- set references = [
    {'entity': 'deals', 'key': 'deal_id', 'column': 'owner_rep_id', 'parent': 'reps', 'parent_key': 'rep_id', 'missing': 'warn'},
    {'entity': 'deals', 'key': 'deal_id', 'column': 'account_id', 'parent': 'accounts', 'parent_key': 'account_id', 'missing': 'info'},
    {'entity': 'deals', 'key': 'deal_id', 'column': 'lead_id', 'parent': 'leads', 'parent_key': 'lead_id', 'missing': none},
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
all_findings as (
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
            when check_name = 'missing_reference'
                then {{ dbt.concat(['column_name', "' is empty: counted under the (unknown) member of '", 'parent_entity']) }}
            else {{ dbt.concat(['column_name', "' names no staged row of '", 'parent_entity', "': counted under the (unknown) member'"]) }}
        end as finding_text
    from all_findings
)

select * from final
