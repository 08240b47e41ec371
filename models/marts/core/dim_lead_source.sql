-- One row per lead source: each source of a staged lead (stg_crm__leads; `(unknown)` when the
-- export leaves it empty), plus `no_lead` for a deal or event that did not come from a lead (as
-- the leads and growth families count it) and the `(unknown)` member: the conformed lead-source
-- dimension, the `lead_source` entity of the semantic layer.

with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

lead_sources as (
    select distinct lead_source
    from leads
    union
    select {{ unknown_member() }} as lead_source
),

final as (
    select
        lead_source,
        true as is_from_lead
    from lead_sources
    union all
    select
        'no_lead' as lead_source,
        false as is_from_lead
)

select * from final
