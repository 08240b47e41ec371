{#- Passes when no two rows of the same `partition_by` value have overlapping inclusive date
    ranges [start_column, end_column] — e.g. a rep is never in two teams on the same day. -#}
{% test no_overlapping_ranges(model, partition_by, start_column, end_column) %}

select
    earlier.{{ partition_by }},
    earlier.{{ start_column }} as earlier_start,
    earlier.{{ end_column }} as earlier_end,
    later.{{ start_column }} as later_start
from {{ model }} as earlier
inner join {{ model }} as later
    on earlier.{{ partition_by }} = later.{{ partition_by }}
    and earlier.{{ start_column }} < later.{{ start_column }}
    and later.{{ start_column }} <= earlier.{{ end_column }}

{% endtest %}
