-- What the HubSpot adapter models read and what they filtered (input_mode hubspot): one row per
-- connector table read, with its rows read, rows dropped as deleted (is_deleted or
-- _fivetran_deleted; for deal_stage also the rows of a deleted deal), rows dropped as merged (a
-- deal merged into another, and its deal_stage rows) and rows passed on. A table the schema lacks
-- reads as 0 rows. Not a contract table: for the user and the tests (docs/connect-hubspot.md).
{%- set plain_tables = [
    'deal_pipeline_stage', 'deal_company', 'deal_contact', 'merged_deal', 'owner', 'team',
    'owner_team', 'users', 'company', 'contact', 'engagement', 'engagement_call',
    'engagement_meeting', 'engagement_email', 'engagement_note', 'engagement_task',
    'engagement_deal', 'engagement_contact', 'engagement_company', 'product', 'line_item',
    'line_item_deal',
] %}

with

deals as (
    {{ hubspot_table('deal', [['deal_id', 'deal_id', 'text']], required=true) | indent(4) }}
),

deal_stages as (
    {{ hubspot_table('deal_stage', [['deal_id', 'deal_id', 'text']]) | indent(4) }}
),

merged_deals as (
    {{ hubspot_table('merged_deal', [['merged_deal_id', 'merged_deal_id', 'text']]) | indent(4) }}
),

{% for table_name in plain_tables %}
table_{{ table_name }} as (
    {{ hubspot_table(table_name, []) | indent(4) }}
),

{% endfor %}
merged_deal_ids as (
    select distinct merged_deal_id
    from merged_deals
    where not hubspot_is_deleted
),

deleted_deal_ids as (
    select distinct deal_id
    from deals
    where hubspot_is_deleted
),

deal_rows as (
    select
        deals.hubspot_is_deleted as is_deleted,
        not deals.hubspot_is_deleted and merged_deal_ids.merged_deal_id is not null as is_merged
    from deals
    left join merged_deal_ids
        on deals.deal_id = merged_deal_ids.merged_deal_id
),

deal_stage_flags as (
    select
        merged_deal_ids.merged_deal_id is not null as follows_merged_deal,
        deal_stages.hubspot_is_deleted or deleted_deal_ids.deal_id is not null as is_deleted
    from deal_stages
    left join deleted_deal_ids
        on deal_stages.deal_id = deleted_deal_ids.deal_id
    left join merged_deal_ids
        on deal_stages.deal_id = merged_deal_ids.merged_deal_id
),

deal_stage_rows as (
    select
        is_deleted,
        not is_deleted and follows_merged_deal as is_merged
    from deal_stage_flags
),

counted as (
    select
        'deal' as connector_table,
        count(*) as rows_read,
        sum(case when is_deleted then 1 else 0 end) as rows_deleted,
        sum(case when is_merged then 1 else 0 end) as rows_merged
    from deal_rows
    union all
    select
        'deal_stage' as connector_table,
        count(*) as rows_read,
        sum(case when is_deleted then 1 else 0 end) as rows_deleted,
        sum(case when is_merged then 1 else 0 end) as rows_merged
    from deal_stage_rows
    {%- for table_name in plain_tables %}
    union all
    select
        '{{ table_name }}' as connector_table,
        count(*) as rows_read,
        sum(case when hubspot_is_deleted then 1 else 0 end) as rows_deleted,
        0 as rows_merged
    from table_{{ table_name }}
    {%- endfor %}
),

final as (
    select
        connector_table,
        cast(rows_read as {{ dbt.type_bigint() }}) as rows_read,
        cast(coalesce(rows_deleted, 0) as {{ dbt.type_bigint() }}) as rows_deleted,
        cast(coalesce(rows_merged, 0) as {{ dbt.type_bigint() }}) as rows_merged,
        cast(rows_read - coalesce(rows_deleted, 0) - coalesce(rows_merged, 0) as {{ dbt.type_bigint() }}) as rows_passed
    from counted
)

select * from final
