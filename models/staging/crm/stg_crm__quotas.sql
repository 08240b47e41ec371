-- One row per rep, month and quota type. The rows of crm.quotas that passed validation in base_crm__quotas;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__quotas') }}
),

staged as (
    select
        quota_id,
        rep_id,
        quota_month,
        quota_type,
        quota_value,
        currency_code
    from validated_rows
    where reason_code is null
)

select * from staged
