{#- Passes when, on every row, `total` equals the sum of `parts` (e.g. raw rows = staged rows
    + rejected rows for every raw table). Failing rows are returned with their difference. -#}
{% test row_counts_reconcile(model, total, parts) %}

select
    *,
    {{ total }} - ({{ parts | join(' + ') }}) as unaccounted_rows
from {{ model }}
where {{ total }} <> {{ parts | join(' + ') }}

{% endtest %}
