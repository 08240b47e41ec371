-- One row per raw CRM row that is not in staging: its table, key, first reason code, every
-- failed check (reason_codes, reason_text: all of them, so a user fixes them in one pass), and
-- the raw values as the export held them. Deduplicated rows (exact copies, older versions)
-- are here too, so every raw row is either staged or listed here — never both, never neither.

with

{% for table_name, key_columns in crm_tables().items() %}
rejected_{{ table_name }} as (
    select
        '{{ table_name }}' as source_table,
        {{ record_key(key_columns) }} as record_key,
        reason_code,
        reason_codes,
        reason_text,
        raw_values
    from {{ ref('base_crm__' ~ table_name) }}
    where reason_code is not null
),

{% endfor %}
all_rejected as (
    {% for table_name in crm_tables() %}
    select * from rejected_{{ table_name }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source_table,
        record_key,
        reason_code,
        reason_codes,
        reason_text,
        raw_values,
        case
            when reason_code in ('exact_duplicate', 'superseded_version') then 'deduplicated'
            else 'rejected'
        end as reason_category
    from all_rejected
)

select * from final
