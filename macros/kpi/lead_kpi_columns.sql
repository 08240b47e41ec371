{#- The KPI columns of the leads family (KPI_CATALOGUE.md section B), from the summed parts of
    int_lead_measures_monthly; shared by kpi_leads and kpi_leads_lead_sources so both compute
    every rate the same way. Expects the columns new_leads, cohort_leads_to_opportunity,
    mql_leads, mql_leads_to_sql, new_opportunities, outbound_calls, connected_calls,
    emails_sent, emails_bounced, emails_opened. -#}
{% macro lead_kpi_columns() -%}
        -- new leads and opportunities
        cast(new_leads as bigint) as new_leads,
        cast(new_opportunities as bigint) as new_opportunities,
        -- lead → opportunity (cohort by lead creation period)
        cast(cohort_leads_to_opportunity as bigint) as cohort_leads_to_opportunity,
        {{ pct('cohort_leads_to_opportunity', 'new_leads') }} as lead_to_opportunity_pct,
        -- MQL → SQL (cohort by MQL period)
        cast(mql_leads as bigint) as mql_leads,
        cast(mql_leads_to_sql as bigint) as mql_leads_to_sql,
        {{ pct('mql_leads_to_sql', 'mql_leads') }} as mql_to_sql_pct,
        cast(mql_leads - mql_leads_to_sql as bigint) as mql_leads_dropped,
        {{ pct('mql_leads - mql_leads_to_sql', 'mql_leads') }} as mql_drop_off_pct,
        -- calls and contact rate
        cast(outbound_calls as bigint) as outbound_calls,
        cast(connected_calls as bigint) as connected_calls,
        {{ pct('connected_calls', 'outbound_calls') }} as contact_rate_pct,
        -- e-mail open rate
        cast(emails_sent as bigint) as emails_sent,
        cast(emails_bounced as bigint) as emails_bounced,
        cast(emails_sent - emails_bounced as bigint) as emails_delivered,
        cast(emails_opened as bigint) as emails_opened,
        {{ pct('emails_opened', 'emails_sent - emails_bounced') }} as email_open_rate_pct
{%- endmacro %}
