{#- The vocabulary mapping `seed_name` (map_deal_stages, map_deal_types, map_activity_types,
    map_lead_statuses) as a relation to select from. Every model reads a mapping through this
    macro, never ref() directly, so a user's own mapping files (var mapping_path) apply
    everywhere at once. -#}
{% macro mapping(seed_name) -%}
    {{ return(ref(seed_name)) }}
{%- endmacro %}
