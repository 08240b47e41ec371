{#- Change detection for int_lead_lifecycles, one row per lead.

    A lead's row is a function of its staged lead row, the deals linked to it (deals.lead_id, or
    its converted_deal_id), its owner's name and team history, and the as-of date. Each stored
    row carries
    - input_fingerprint: a sum of integer_hash() values over those inputs (lead_input_fingerprints());
    - next_milestone_date: the first local date after the as-of date on which one of its hidden
      milestones (MQL, SQL, opportunity) becomes visible, NULL when none is hidden.
    The rows an incremental run replaces (the model's `incremental_slice` for replace_slice) are
    the leads whose fingerprint differs from the stored one (changed, new, or gone: deleted,
    rejected since, or created after an earlier as-of date), the stored leads a later as-of date
    reveals a milestone of, and the stored leads with a milestone after an earlier as-of date.
    A sum of 32-bit hashes: a change that left a lead's sum equal (≈1 in 4·10^9) would go
    unnoticed until a full refresh. A changed time zone or mapping needs a full refresh.
    The delete (`temp_relation`: the rebuilt rows) names the same leads without hashing again:
    the rebuilt leads, plus the stored leads no longer staged or created after the as-of date
    (those in the slice that have no rebuilt row). -#}
{% macro lead_lifecycles_slice(temp_relation=none) -%}
    {%- set as_of = dbt.cast(sql_string_literal(var('as_of_date')), 'date') -%}
    {%- if temp_relation is not none -%}
    {%- set current_leads -%}
    select current_leads.lead_id
    from {{ ref('stg_crm__leads') }} as current_leads
    where
        current_leads.lead_id is not null
        and {{ to_local_date('current_leads.created_at') }} <= {{ as_of }}
    {%- endset -%}
    {{ rebuilt_or_gone_keys('lead_id', temp_relation, current_leads) }}
    {%- else -%}
    lead_id in (
        {{ changed_fingerprint_keys('lead_id', lead_input_fingerprints()) | indent(8) }}
        union
        select lead_id
        from {{ this }}
        where
            next_milestone_date <= {{ as_of }}
            or mql_date > {{ as_of }}
            or sql_date > {{ as_of }}
            or opportunity_date > {{ as_of }}
    )
    {%- endif -%}
{%- endmacro %}

{#- One row per staged lead created on or before var('as_of_date') (in the reporting time zone)
    with the fingerprint of what int_lead_lifecycles reads for it: the lead's columns and its
    owner's rep_history_hashes() value (the (unknown) one when the owner is not staged), plus
    the sum of a hash per linked deal (id, creation, won flag and close). A select without a
    WITH, so it can sit inside an IN (...). -#}
{% macro lead_input_fingerprints() -%}
    select
        leads.lead_id,
        {{ lead_row_hash('coalesce(owner_histories.rep_history_hash, unknown_history.rep_history_hash)') }}
            + coalesce(deal_hashes.deals_fingerprint, 0) as input_fingerprint
    from {{ ref('stg_crm__leads') }} as leads
    left join (
        {{ rep_history_hashes() | indent(8) }}
    ) as owner_histories
        on leads.owner_rep_id = owner_histories.rep_id
    left join (
        {{ rep_history_hashes() | indent(8) }}
    ) as unknown_history
        on unknown_history.rep_id = {{ unknown_member() }}
    left join (
        select
            links.lead_id,
            sum({{ linked_deal_hash() }}) as deals_fingerprint
        from (
            {{ lead_deal_links() | indent(12) }}
        ) as links
        inner join {{ ref('int_deals_enriched') }} as deals
            on links.deal_id = deals.deal_id
        group by links.lead_id
    ) as deal_hashes
        on leads.lead_id = deal_hashes.lead_id
    where {{ to_local_date('leads.created_at') }} <= {{ dbt.cast(sql_string_literal(var('as_of_date')), 'date') }}
{%- endmacro %}

{#- The hash of the columns of a staged lead (`leads`) that int_lead_lifecycles reads, and of its
    owner's history (`owner_hash`: the owner's rep_history_hashes() value). The model computes it
    in its full select the same way, so the two agree by construction. -#}
{% macro lead_row_hash(owner_hash) -%}
    {{ integer_hash([
        'leads.lead_source', 'leads.status', 'leads.owner_rep_id', 'leads.created_at', 'leads.mql_at',
        'leads.sql_at', 'leads.converted_at', 'leads.converted_deal_id', owner_hash,
    ]) }}
{%- endmacro %}

{#- The hash of what int_lead_lifecycles reads of a deal linked to a lead (`deals`). -#}
{% macro linked_deal_hash() -%}
    {{ integer_hash(['deals.deal_id', 'deals.created_at', 'deals.is_won', 'deals.closed_at', 'deals.closed_date']) }}
{%- endmacro %}

{#- The (lead_id, deal_id) pairs that link a deal to the lead it came from: deals.lead_id, or the
    lead's converted_deal_id (distinct). -#}
{% macro lead_deal_links() -%}
    select
        lead_id,
        deal_id
    from {{ ref('int_deals_enriched') }}
    where lead_id is not null
    union
    select
        lead_id,
        converted_deal_id as deal_id
    from {{ ref('stg_crm__leads') }}
    where converted_deal_id is not null
{%- endmacro %}
