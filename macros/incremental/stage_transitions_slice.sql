{#- The rows an incremental run of int_deal_stage_transitions replaces (its `incremental_slice`
    for the replace_slice strategy), as a predicate on deal_id: a deal's changes are sequenced
    together (previous / next stage, validity), so a deal is replaced whole. A deal is in the
    slice when
    - base_crm__deal_stage_history has a row of it (staged or rejected) at or after the cutoff,
      or with no parsable time: the keys the base model re-read. The cutoff is
      incremental_cutoff() over this table: the newest change already sequenced minus
      var('incremental_lookback_days'); never later than the base model's own cutoff, as this
      table holds a subset of its staged rows;
    - one of its stored changes is such a re-read key (the key may have moved to another deal)
      or is dated after var('as_of_date') (an earlier as-of date drops it);
    - it appeared in or disappeared from int_deals_enriched (the deals the model keeps).
    Nothing stored depends on the as-of date itself (a current change has no valid_to_date), so
    a later as-of date adds only the changes it newly reaches, which are inside the window. -#}
{% macro stage_transitions_slice(temp_relation=none) -%}
    {%- set cutoff = incremental_cutoff('entered_at', staged_only=false) -%}
    {%- set as_of = dbt.cast(sql_string_literal(var('as_of_date')), 'date') -%}
    deal_id in (
        select deal_id
        from {{ ref('base_crm__deal_stage_history') }}
        where entered_at is null or entered_at >= {{ cutoff }}
        union
        select sequenced.deal_id
        from {{ this }} as sequenced
        left join (
            select stage_history_id
            from {{ ref('base_crm__deal_stage_history') }}
            where entered_at is null or entered_at >= {{ cutoff }}
        ) as window_keys
            on sequenced.stage_history_id = window_keys.stage_history_id
        where window_keys.stage_history_id is not null or sequenced.entered_date > {{ as_of }}
        union
        select coalesce(kept_deals.deal_id, sequenced_deals.deal_id) as deal_id
        from {{ ref('int_deals_enriched') }} as kept_deals
        full outer join (
            select distinct deal_id
            from {{ this }}
        ) as sequenced_deals
            on kept_deals.deal_id = sequenced_deals.deal_id
        where kept_deals.deal_id is null or sequenced_deals.deal_id is null
    )
{%- endmacro %}
