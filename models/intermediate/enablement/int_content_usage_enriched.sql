-- One row per use of a sales content asset up to var('as_of_date'): the use month in the
-- reporting time zone and the rep's team on that date.

with

content_usage as (
    select * from {{ ref('stg_crm__content_usage') }}
),

assignments as (
    select * from {{ ref('int_rep_team_assignments') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

usage_local as (
    select
        content_usage.*,
        {{ to_local_date('content_usage.used_at') }} as used_date
    from content_usage
),

final as (
    select
        usage_local.usage_id,
        usage_local.asset_id,
        case when reps.rep_id is null then {{ unknown_member() }} else usage_local.rep_id end as rep_id,
        coalesce(reps.rep_name, {{ unknown_member() }}) as rep_name,
        coalesce(assignments.team_id, {{ unknown_member() }}) as team_id,
        coalesce(assignments.team_name, {{ unknown_member() }}) as team_name,
        usage_local.deal_id,
        usage_local.used_date,
        cast({{ dbt.date_trunc('month', 'usage_local.used_date') }} as date) as used_month
    from usage_local
    left join assignments
        on usage_local.rep_id = assignments.rep_id
        and usage_local.used_date between assignments.valid_from and assignments.valid_to
    left join reps
        on usage_local.rep_id = reps.rep_id
    where usage_local.used_date <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
)

select * from final
