{#- The standard first checks of every base model: missing key (`key`: typed column names of
    the CTE `relation`), then the three kinds of duplicate flagged by flag_duplicate_rows().
    A keyless row is only missing_key (it is in no key's duplicate group). Only a row that
    passes its row checks is ever flagged (validation comes before de-duplication), so the
    texts speak of valid rows. Returns a list for first_failed_check(). -#}
{% macro dedupe_checks(key, relation) -%}
    {%- set key_missing, key_present = [], [] -%}
    {%- for column in key -%}
        {%- do key_missing.append(relation ~ '.' ~ column ~ ' is null') -%}
        {%- do key_present.append(relation ~ '.' ~ column ~ ' is not null') -%}
    {%- endfor -%}
    {%- set keyed = key_present | join(' and ') ~ ' and ' -%}
    {{ return([
        {'when': key_missing | join(' or '), 'code': 'missing_key',
         'text': 'key column(s) ' ~ key | join(', ') ~ ' empty'},
        {'when': keyed ~ 'is_exact_copy', 'code': 'exact_duplicate',
         'text': 'exact copy of another row; one copy is staged'},
        {'when': keyed ~ 'is_superseded_version', 'code': 'superseded_version',
         'text': 'a valid export of the same key with a later updated_at is staged'},
        {'when': keyed ~ 'is_duplicate_key', 'code': 'duplicate_key',
         'text': 'another valid row has the same key and updated_at but different values; the one with the smallest fingerprint is staged'},
    ]) }}
{%- endmacro %}
