{#- `rows` left-joined to `lookup` on `key` = `lookup_key`, with the join run only for the rows
    whose key is set: those rows go through the join, the rows whose key is NULL are passed by
    in a union with NULL for the looked-up columns. Same result as the plain left join: every
    column of `rows` (rows.*) plus `lookup_columns` ({alias: column of lookup}, typed
    `data_type`, string by default). `lookup` must have one row per `lookup_key`.
    Why: when most rows have no key (calls without a deal, e-mails without a lead), a hash join
    puts all of their NULL keys into one partition, which DuckDB cannot split to spill; at
    10 M deals int_lead_measures_monthly ran out of memory even with 4 GB. `rows` is read
    twice: give it cte_materialization(false) when it is a CTE. -#}
{% macro left_join_where_key_set(rows, key, lookup, lookup_key, lookup_columns, data_type=none) -%}
    {%- set null_type = data_type or dbt.type_string() -%}
    select
        {{ rows }}.*
        {%- for alias, column in lookup_columns.items() %},
        {{ lookup }}.{{ column }} as {{ alias }}
        {%- endfor %}
    from {{ rows }}
    left join {{ lookup }}
        on {{ rows }}.{{ key }} = {{ lookup }}.{{ lookup_key }}
    where {{ rows }}.{{ key }} is not null
    union all
    select
        {{ rows }}.*
        {%- for alias in lookup_columns %},
        cast(null as {{ null_type }}) as {{ alias }}
        {%- endfor %}
    from {{ rows }}
    where {{ rows }}.{{ key }} is null
{%- endmacro %}
