-- One row per rep (stg_crm__reps) plus the `(unknown)` rep that facts attribute an event to when
-- its owner is empty or names no staged rep (dq_findings lists those rows): the conformed rep
-- dimension, the `rep` entity of the semantic layer.

with

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

unknown_rep as (
    select
        {{ unknown_member() }} as rep_id,
        {{ unknown_member() }} as rep_name,
        {{ unknown_member() }} as role,
        cast(null as date) as hire_date,
        cast(null as date) as termination_date
),

final as (
    select
        rep_id,
        rep_name,
        role,
        hire_date,
        termination_date
    from reps
    union all
    select
        rep_id,
        rep_name,
        role,
        hire_date,
        termination_date
    from unknown_rep
)

select * from final
