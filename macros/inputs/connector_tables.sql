{#- The contract tables a connector's adapter models produce (input_mode salesforce | hubspot):
    crm_source(table) reads models/adapters/<connector>/adapter_<connector>__<table>.sql for
    these; every other contract table comes from var('supplement_path') (files, as in
    input_mode 'files'), or is empty when that var is null. One list per connector; an adapter
    model added or removed changes its list here. -#}
{% macro connector_tables(connector) -%}
    {%- set tables = {
        'salesforce': ['teams', 'reps', 'rep_team_history', 'accounts', 'products', 'leads',
                       'deals', 'deal_stage_history', 'activities'],
        'hubspot': ['teams', 'reps', 'rep_team_history', 'accounts', 'products', 'leads', 'deals',
                    'deal_stage_history', 'activities'],
    } -%}
    {{ return(tables.get(connector, [])) }}
{%- endmacro %}

{#- True in a connector input mode. -#}
{% macro is_connector_mode() -%}
    {{ return(var('input_mode') in ('salesforce', 'hubspot')) }}
{%- endmacro %}
