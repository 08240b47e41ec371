{#- The emptiness guard: fails on every raw table (a row of dq_row_reconciliation) whose invalid
    rows exceed `max_share` of its distinct rows (staged + invalid; exact copies and older
    versions are not counted against it), and on the `required_tables` that staged nothing at
    all. A build in which every deal is rejected is therefore red, with a message per table
    saying how many rows were rejected and where to look. Run it twice: at
    var('max_rejected_share') with severity error and at var('warn_rejected_share') as a warning. -#}
{% test invalid_share_at_most(model, max_share, required_tables=[]) %}

with

reconciliation as (
    select
        source_table,
        staged_rows,
        invalid_rows,
        staged_rows + invalid_rows as distinct_rows
    from {{ model }}
),

failing as (
    select
        source_table,
        staged_rows,
        invalid_rows,
        distinct_rows,
        case
            when distinct_rows = 0 then {{ dbt.concat([
                'source_table', "': the input has no rows, so nothing is staged and every KPI that needs it is empty:"
                ~ " check the export (or, with a connector, that its rows are not all deleted)'",
            ]) }}
            else {{ dbt.concat([
                'source_table', "': '",
                dbt.cast('invalid_rows', dbt.type_string()), "' of '",
                dbt.cast('distinct_rows', dbt.type_string()),
                "' distinct rows rejected (more than " ~ (max_share | float * 100) | round(1) ~ " %), '",
                dbt.cast('staged_rows', dbt.type_string()),
                "' staged: see rejected_rows.reason_codes for this table, or run make doctor on the export'",
            ]) }}
        end as message
    from reconciliation
    where
        invalid_rows > {{ max_share | float }} * distinct_rows
        {%- if required_tables %}
        or (staged_rows = 0 and source_table in ('{{ required_tables | join("', '") }}'))
        {%- endif %}
)

select * from failing

{% endtest %}
