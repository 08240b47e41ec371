{#- Change detection for int_deal_funnel_stages, one row per deal per funnel stage reached.

    A deal's rows are a function of its stage changes (int_deal_stage_transitions), its owner,
    owner name and lead source, and its owner's team history. Each stored row carries the deal's
    input_fingerprint: integer_hash() of the deal's columns and its owner's history plus the sum
    of a hash per stage change (deal_funnel_fingerprints()). Nothing else depends on the as-of
    date: the stage changes it reaches are the deal's inputs. The rows an incremental run
    replaces (the model's `incremental_slice` for replace_slice) are those of the deals whose
    fingerprint differs from the stored one: changed, new (a first open stage change), or gone.
    A sum of 32-bit hashes: a change that left a deal's sum equal (≈1 in 4·10^9) would go
    unnoticed until a full refresh. A changed mapping (map_deal_stages) needs a full refresh.
    The delete (`temp_relation`: the rebuilt rows) names the same deals without hashing again:
    the rebuilt deals, plus the stored deals with no open stage change any more. -#}
{% macro deal_funnel_slice(temp_relation=none) -%}
    {%- if temp_relation is not none -%}
    {%- set current_deals -%}
    select transitions.deal_id
    from {{ ref('int_deal_stage_transitions') }} as transitions
    where transitions.is_open_stage
    {%- endset -%}
    {{ rebuilt_or_gone_keys('deal_id', temp_relation, current_deals) }}
    {%- else -%}
    deal_id in (
        {{ changed_fingerprint_keys('deal_id', deal_funnel_fingerprints(), distinct=true) | indent(8) }}
    )
    {%- endif -%}
{%- endmacro %}

{#- One row per deal with an open stage change (the deals int_deal_funnel_stages has rows for)
    and the fingerprint of what the model reads for it. A select without a WITH, so it can sit
    inside an IN (...). -#}
{% macro deal_funnel_fingerprints() -%}
    select
        deal_transitions.deal_id,
        {{ funnel_deal_hash('coalesce(owner_histories.rep_history_hash, unknown_history.rep_history_hash)') }}
            + deal_transitions.transitions_fingerprint as input_fingerprint
    from (
        select
            transitions.deal_id,
            sum({{ funnel_transition_hash() }}) as transitions_fingerprint
        from {{ ref('int_deal_stage_transitions') }} as transitions
        group by transitions.deal_id
        having max(case when transitions.is_open_stage then 1 else 0 end) = 1
    ) as deal_transitions
    inner join {{ ref('int_deals_enriched') }} as deals
        on deal_transitions.deal_id = deals.deal_id
    left join (
        {{ rep_history_hashes() | indent(8) }}
    ) as owner_histories
        on deals.owner_rep_id = owner_histories.rep_id
    left join (
        {{ rep_history_hashes() | indent(8) }}
    ) as unknown_history
        on unknown_history.rep_id = {{ unknown_member() }}
{%- endmacro %}

{#- The hash of what int_deal_funnel_stages reads of a deal (`deals`) and its owner's history
    (`owner_hash`: the owner's rep_history_hashes() value). -#}
{% macro funnel_deal_hash(owner_hash) -%}
    {{ integer_hash(['deals.owner_rep_id', 'deals.owner_rep_name', 'deals.lead_source', owner_hash]) }}
{%- endmacro %}

{#- The hash of what int_deal_funnel_stages reads of a stage change (`transitions`). -#}
{% macro funnel_transition_hash() -%}
    {{ integer_hash([
        'transitions.stage_order', 'transitions.stage_category', 'transitions.is_open_stage',
        'transitions.is_current', 'transitions.entered_at', 'transitions.entered_date',
        'transitions.exited_at', 'transitions.exited_date', 'transitions.days_in_stage',
    ]) }}
{%- endmacro %}
