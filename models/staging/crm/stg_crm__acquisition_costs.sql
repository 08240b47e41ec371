-- One row per acquisition cost line per month. The rows of crm.acquisition_costs that passed validation in base_crm__acquisition_costs;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__acquisition_costs') }}
),

staged as (
    select
        cost_id,
        cost_month,
        category,
        amount_local,
        currency_code
    from validated_rows
    where reason_code is null
)

select * from staged
