{#- Change detection by key, shared by the incremental models that store a fingerprint of their
    inputs on every row (int_lead_lifecycles, int_deal_funnel_stages, int_activities_enriched).

    changed_fingerprint_keys(): the keys whose fingerprint differs between
    `current_fingerprints` (a select of `key` and `fingerprint`, one row per key) and the stored
    rows of {{ this }}: changed, new (no stored row) or gone (no current row). The comparison is
    null-safe: a NULL on one side only counts as a change (a table stored before the fingerprint
    had a value upgrades by itself). `distinct`: the table stores the fingerprint on several
    rows per key (a deal's stages, a rep's activities). A select without a WITH, so it can sit
    inside an IN (...) or a join. -#}
{% macro changed_fingerprint_keys(key, current_fingerprints, fingerprint='input_fingerprint', distinct=false) -%}
    {%- set current_value = 'current_keys.' ~ fingerprint -%}
    {%- set stored_value = 'stored_keys.' ~ fingerprint -%}
    select coalesce(current_keys.{{ key }}, stored_keys.{{ key }}) as {{ key }}
    from (
        {{ current_fingerprints | indent(8) }}
    ) as current_keys
    full outer join (
        select {{ 'distinct' if distinct }}
            {{ key }},
            {{ fingerprint }}
        from {{ this }}
    ) as stored_keys
        on current_keys.{{ key }} = stored_keys.{{ key }}
    where
        current_keys.{{ key }} is null
        or stored_keys.{{ key }} is null
        or coalesce({{ current_value }} <> {{ stored_value }}, {{ current_value }} is not null or {{ stored_value }} is not null)
{%- endmacro %}

{#- The delete predicate of such a model (replace_slice calls the slice macro with
    `temp_relation`, the rebuilt rows): the keys rebuilt, plus the stored keys that have no
    current input any more (`current_keys`: a select of the keys that still have one, never NULL).
    It names the slice without computing a fingerprint again. -#}
{% macro rebuilt_or_gone_keys(key, temp_relation, current_keys) -%}
    (
        {{ key }} in (
            select rebuilt.{{ key }}
            from {{ temp_relation }} as rebuilt
        )
        or {{ key }} not in (
            {{ current_keys | indent(12) }}
        )
    )
{%- endmacro %}
