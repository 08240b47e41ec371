-- What the Salesforce adapter read and filtered (input_mode salesforce): one row per connector
-- table, with the rows read, the rows filtered as deleted (is_deleted or _fivetran_deleted; for
-- opportunity_history also every version of an opportunity that is not live), the rows filtered
-- as past versions (_fivetran_active false, history-mode tables) and the rows passed on to the
-- adapter models. Staging's own staged / rejected counts follow in dq_row_reconciliation.
{%- set tables = ['opportunity', 'user', 'user_role', 'account', 'lead', 'task', 'event'] %}
{#- tables an org may not sync: 0 rows read when missing -#}
{%- set optional_tables = ['product_2', 'opportunity_line_item'] %}
{%- set opportunity_columns = salesforce_columns('opportunity') %}
{%- set history_columns = salesforce_columns('opportunity_history') %}
{%- set history_key = 'opportunity_id' if 'opportunity_id' in history_columns else 'id' %}

with

live_opportunities as (
    select distinct {{ salesforce_text(opportunity_columns, 'id') }} as deal_id
    from {{ source('salesforce', 'opportunity') }}
    where {{ salesforce_is_live(opportunity_columns) }}
),

{%- for table_name in tables + optional_tables %}
{%- set columns = salesforce_columns(table_name, required=table_name in tables) %}

{{ table_name }}_counts as (
    select
        '{{ table_name }}' as connector_table,
        count(*) as rows_read,
        sum(case when {{ salesforce_is_deleted(columns) }} then 1 else 0 end) as rows_deleted,
        sum(case when not {{ salesforce_is_deleted(columns) }} and {{ salesforce_is_inactive(columns) }} then 1 else 0 end) as rows_inactive
    from {{ salesforce_optional_source(table_name, columns) }}
),
{%- endfor %}

opportunity_history_counts as (
    select
        'opportunity_history' as connector_table,
        count(*) as rows_read,
        sum(
            case
                when {{ salesforce_is_deleted(history_columns, 'history') }} or live_opportunities.deal_id is null then 1
                else 0
            end
        ) as rows_deleted,
        0 as rows_inactive
    from {{ source('salesforce', 'opportunity_history') }} as history
    left join live_opportunities
        on {{ salesforce_text(history_columns, history_key, 'history') }} = live_opportunities.deal_id
),

all_counts as (
    {%- for table_name in tables + optional_tables + ['opportunity_history'] %}
    select * from {{ table_name }}_counts
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        connector_table,
        cast(rows_read as {{ dbt.type_int() }}) as rows_read,
        cast(coalesce(rows_deleted, 0) as {{ dbt.type_int() }}) as rows_deleted,
        cast(coalesce(rows_inactive, 0) as {{ dbt.type_int() }}) as rows_inactive,
        cast(rows_read - coalesce(rows_deleted, 0) - coalesce(rows_inactive, 0) as {{ dbt.type_int() }}) as rows_passed
    from all_counts
)

select * from final
