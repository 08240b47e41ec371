{#- on-run-end hook: when this run built dq_row_reconciliation, print it — staged, rejected and
    invalid rows per raw table — at the end of the build log, so a user sees at a glance what
    got in (the emptiness guard, a test on that model, fails the build when a table is mostly
    rejected). Returns no SQL of its own. -#}
{% macro print_row_reconciliation(results) -%}
    {%- if execute -%}
        {%- set built = [] -%}
        {%- for result in results
            if result.node.name == 'dq_row_reconciliation' and result.node.resource_type == 'model'
            and result.status == 'success' -%}
            {%- do built.append(result.node) -%}
        {%- endfor -%}
        {%- if built -%}
            {%- set relation = api.Relation.create(
                database=built[0].database, schema=built[0].schema, identifier=built[0].alias) -%}
            {%- set table = run_query(
                "select source_table, raw_rows, staged_rows, invalid_rows, deduplicated_rows from "
                ~ relation ~ " where raw_rows > 0 order by source_table") -%}
            {{ log("Rows per raw table (raw = staged + invalid + deduplicated; details in rejected_rows and dq_findings):", info=true) }}
            {{ log("  " ~ "table".ljust(22) ~ "raw".rjust(12) ~ "staged".rjust(12) ~ "invalid".rjust(10) ~ "deduplicated".rjust(14), info=true) }}
            {%- for row in table.rows %}
                {{ log("  " ~ (row[0] | string).ljust(22) ~ ("{:,}".format(row[1])).rjust(12) ~ ("{:,}".format(row[2])).rjust(12)
                    ~ ("{:,}".format(row[3])).rjust(10) ~ ("{:,}".format(row[4])).rjust(14), info=true) }}
            {%- endfor %}
        {%- endif -%}
    {%- endif -%}
    select 1 as row_reconciliation_printed
{%- endmacro %}
