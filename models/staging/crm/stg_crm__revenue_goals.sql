-- One row per revenue goal (KGI) per month and team; team_id NULL = company-wide. The rows of crm.revenue_goals that passed validation in base_crm__revenue_goals;
-- every other raw row is in rejected_rows with its reason.

with

validated_rows as (
    select * from {{ ref('base_crm__revenue_goals') }}
),

staged as (
    select
        goal_id,
        goal_month,
        team_id,
        goal_amount_local,
        currency_code
    from validated_rows
    where reason_code is null
)

select * from staged
