{#- The raw CRM tables and the columns that identify a row in each, in load order.
    One list, used by rejected_rows and the row reconciliation so neither can miss a table. -#}
{% macro crm_tables() -%}
    {{ return({
        'teams': ['team_id'],
        'reps': ['rep_id'],
        'rep_team_history': ['rep_id', 'valid_from_text'],
        'accounts': ['account_id'],
        'products': ['product_id'],
        'contracts': ['contract_id'],
        'leads': ['lead_id'],
        'deals': ['deal_id'],
        'deal_stage_history': ['stage_history_id'],
        'activities': ['activity_id'],
        'email_events': ['email_event_id'],
        'quotas': ['quota_id'],
        'fx_rates': ['rate_month_text', 'currency_code', 'quote_currency'],
        'acquisition_costs': ['cost_id'],
        'training_enrolments': ['enrolment_id'],
        'training_assessments': ['assessment_id'],
        'content_assets': ['asset_id'],
        'content_usage': ['usage_id'],
        'service_requests': ['request_id'],
        'quotes': ['quote_id'],
        'revenue_goals': ['goal_id'],
    }) }}
{%- endmacro %}
