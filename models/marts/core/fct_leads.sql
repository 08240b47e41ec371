-- One row per lead created on or before var('as_of_date'): the lead fact at its finest grain,
-- selected from int_lead_lifecycles (the one place a lead's milestones are decided: created →
-- MQL → SQL → opportunity → customer, each only when reached by the as-of date, in the reporting
-- time zone), with a foreign key to each conformed dimension: dim_rep and dim_team (the owner and
-- the owner's team on the creation date), dim_lead_source, and the fiscal calendar through the
-- time spine (created_date, created_month). A view (a table on Spark): a projection of a
-- table the build already holds. The semantic model `lead_lifecycles` reads it.

{#- A table on Spark, whose marts are Parquet tables (a view there re-plans its whole upstream
    for every query, and the cross-engine comparison reads the marts' files). -#}
{{ config(materialized='table' if target.type == 'spark' else 'view') }}

with

lead_lifecycles as (
    select * from {{ ref('int_lead_lifecycles') }}
),

final as (
    select
        lead_id,
        created_date,
        created_month,
        owner_rep_id as rep_id,
        owner_team_id as team_id,
        lead_source,
        lifecycle_stage,
        is_mql,
        is_sql,
        is_opportunity,
        is_customer,
        mql_date,
        sql_date,
        opportunity_date,
        customer_date,
        days_to_opportunity,
        days_to_customer
    from lead_lifecycles
)

select * from final
