-- One row per account (stg_crm__accounts) plus the `(unknown)` account that facts attribute an
-- event to when its account is empty or names no staged account (dq_findings lists those rows):
-- the conformed account dimension, the `account` entity of the semantic layer.

with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

unknown_account as (
    select
        {{ unknown_member() }} as account_id,
        {{ unknown_member() }} as account_name,
        {{ unknown_member() }} as segment,
        {{ unknown_member() }} as region,
        {{ unknown_member() }} as industry,
        cast(null as integer) as employee_count
),

final as (
    select
        account_id,
        account_name,
        segment,
        region,
        industry,
        employee_count
    from accounts
    union all
    select
        account_id,
        account_name,
        segment,
        region,
        industry,
        employee_count
    from unknown_account
)

select * from final
