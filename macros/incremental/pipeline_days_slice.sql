{#- The rows an incremental run of int_pipeline_daily replaces (its `incremental_slice` for the
    replace_slice strategy): every day from the first one whose open pipeline may have changed.

    A day's balances are a function of the pieces of open deals covering it
    (int_pipeline_pieces), so each stored row carries its day's fingerprint: the sum of the
    piece_hash of the pieces open that day. pipeline_first_changed_day() compares, day by day,
    that stored fingerprint with the one the pieces give now and returns the first day they
    differ (null: none). It compares changes, not days: each piece adds its hash on its first
    day and takes it away the day after its last, each stored day adds its fingerprint on the
    day and takes it away the next day; two fingerprint curves agree up to the first day their
    changes differ. So no day is generated, and a change anywhere upstream (a stage change, a
    deal's amount, owner or lead source, an FX rate, a team assignment, a later or earlier
    as-of date) shows as the first day it touches. A sum of 32-bit hashes: two different sets of
    pieces with the same sum on every changed day would go unnoticed (about 1 in 4·10^9 per day). -#}
{% macro pipeline_days_slice(temp_relation=none) -%}
    pipeline_date >= {{ pipeline_first_changed_day() }}
{%- endmacro %}

{#- Per day, the change of the fingerprint of the open pieces (int_pipeline_pieces): + each
    piece's hash on its first day, - it the day after its last. -#}
{% macro pipeline_fingerprint_changes() -%}
    {{ interval_value_changes(ref('int_pipeline_pieces'), 'piece_from', 'piece_to', 'piece_hash') }}
{%- endmacro %}

{#- Per day, the change of a value held over date intervals (`relation`: a table or a
    parenthesised select with the columns named): + the value on the interval's first day,
    - it the day after its last; the running sum of the changes is the value on each day. -#}
{% macro interval_value_changes(relation, from_column, to_column, value_column) -%}
    select
        change_date,
        sum(value_change) as fingerprint_change
    from (
        select
            case
                when interval_edges.edge_sign = 1 then intervals.{{ from_column }}
                else cast({{ dbt.dateadd('day', 1, 'intervals.' ~ to_column) }} as date)
            end as change_date,
            interval_edges.edge_sign * intervals.{{ value_column }} as value_change
        from {{ relation }} as intervals
        cross join (
            select 1 as edge_sign
            union all
            select -1 as edge_sign
        ) as interval_edges
    ) as value_changes
    group by change_date
{%- endmacro %}

{#- The first day whose stored fingerprint differs from the one the pieces give now, as a scalar
    subquery (null when none differs): each stored day is an interval of one day holding its
    fingerprint. `current_changes` names a relation already holding pipeline_fingerprint_changes()
    (the model's own CTE); none computes it here (the delete). -#}
{% macro pipeline_first_changed_day(current_changes=none) -%}
    {%- set stored_days -%}
        (
            select
                pipeline_date,
                max(day_fingerprint) as day_fingerprint
            from {{ this }}
            group by pipeline_date
        )
    {%- endset -%}
    (
        select min(coalesce(current_changes.change_date, stored_changes.change_date))
        {%- if current_changes %}
        from {{ current_changes }} as current_changes
        {%- else %}
        from (
            {{ pipeline_fingerprint_changes() | indent(12) }}
        ) as current_changes
        {%- endif %}
        full outer join (
            {{ interval_value_changes(stored_days, 'pipeline_date', 'pipeline_date', 'day_fingerprint') | indent(12) }}
        ) as stored_changes
            on current_changes.change_date = stored_changes.change_date
        where coalesce(current_changes.fingerprint_change, 0) <> coalesce(stored_changes.fingerprint_change, 0)
    )
{%- endmacro %}
