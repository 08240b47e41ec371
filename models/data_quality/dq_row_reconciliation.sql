-- One row per raw CRM table: how many raw rows arrived, how many were staged, and how many
-- went to rejected_rows (deduplicated or rejected). The test on this model asserts
-- raw_rows = staged_rows + rejected_rows for every table, so no row is ever lost.

with

{% for table_name in crm_tables() %}
counts_{{ table_name }} as (
    select
        '{{ table_name }}' as source_table,
        (select count(*) from {{ crm_source(table_name) }}) as raw_rows,
        (select count(*) from {{ ref('stg_crm__' ~ table_name) }}) as staged_rows
),

{% endfor %}
raw_and_staged as (
    {% for table_name in crm_tables() %}
    select * from counts_{{ table_name }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

rejected_by_table as (
    select
        source_table,
        count(*) as rejected_rows,
        sum(case when reason_category = 'deduplicated' then 1 else 0 end) as deduplicated_rows
    from {{ ref('rejected_rows') }}
    group by source_table
),

final as (
    select
        raw_and_staged.source_table,
        cast(raw_and_staged.raw_rows as bigint) as raw_rows,
        cast(raw_and_staged.staged_rows as bigint) as staged_rows,
        cast(coalesce(rejected_by_table.rejected_rows, 0) as bigint) as rejected_rows,
        cast(coalesce(rejected_by_table.deduplicated_rows, 0) as bigint) as deduplicated_rows,
        cast(coalesce(rejected_by_table.rejected_rows, 0) - coalesce(rejected_by_table.deduplicated_rows, 0) as bigint) as invalid_rows
    from raw_and_staged
    left join rejected_by_table
        on raw_and_staged.source_table = rejected_by_table.source_table
)

select * from final
