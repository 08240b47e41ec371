-- One row per KPI scope: the company, each rep and team (int_scope_months: reps while employed,
-- teams while a rep is assigned), each customer segment and region (of an account), each lead
-- source (of the lead and growth measures), plus the `(unknown)` member of every level that
-- events without a known owner, team, account or source count under. The `kpi_scope` entity of
-- MetricFlow, so every family is grouped and filtered by the same scope dimensions.

with

scope_months as (
    select * from {{ ref('int_scope_months') }}
),

accounts as {{ cte_materialization(false) }} (
    select * from {{ ref('stg_crm__accounts') }}
),

lead_measures as (
    select lead_source from {{ ref('int_lead_measures_monthly') }}
),

growth_measures as (
    select lead_source from {{ ref('int_growth_measures_monthly') }}
),

unknown_scopes as (
    select 'rep' as scope
    union all
    select 'team' as scope
    union all
    select 'segment' as scope
    union all
    select 'region' as scope
),

-- the name in the latest month the scope is active in (a rep or team may be renamed)
org_scopes as (
    select
        scope,
        scope_id,
        scope_name,
        row_number() over (partition by scope, scope_id order by month_start desc, scope_name asc) as name_rank
    from scope_months
),

scopes as (
    select
        scope,
        scope_id,
        scope_name
    from org_scopes
    where name_rank = 1
    union
    select
        unknown_scopes.scope,
        {{ unknown_member() }} as scope_id,
        {{ unknown_member() }} as scope_name
    from unknown_scopes
    union
    select
        'segment' as scope,
        segment as scope_id,
        segment as scope_name
    from accounts
    where segment is not null
    union
    select
        'region' as scope,
        region as scope_id,
        region as scope_name
    from accounts
    where region is not null
    union
    select
        'lead_source' as scope,
        lead_source as scope_id,
        lead_source as scope_name
    from lead_measures
    union
    select
        'lead_source' as scope,
        lead_source as scope_id,
        lead_source as scope_name
    from growth_measures
),

final as (
    select
        cast({{ dbt.concat(['scope', "':'", 'scope_id']) }} as {{ dbt.type_string() }}) as scope_key,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(scope_name as {{ dbt.type_string() }}) as scope_name
    from scopes
)

select * from final
