{#- Passes when, on every row, `total` equals the sum of `parts` (e.g. raw rows = staged rows
    + rejected rows for every raw table). Failing rows are returned with their difference and,
    when given, `hint`: what to do about it. -#}
{% test row_counts_reconcile(model, total, parts, hint=none) %}

select
    *,
    {{ total }} - ({{ parts | join(' + ') }}) as unaccounted_rows
    {%- if hint %},
    {{ sql_string_literal(hint) }} as what_to_do
    {%- endif %}
from {{ model }}
where {{ total }} <> {{ parts | join(' + ') }}

{% endtest %}
