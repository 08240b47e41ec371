{#- Data tests on what changed (issue 25). dbt wraps the table a generic test reads in
    get_where_subquery(), which applies the test's `where` config; this override (dbt's own
    dispatch looks in the project first) adds a second filter when var('test_since') is set:
    rows of the periods from test_since's month on, on the models that name their period column
    in `meta: tests_scoped_by` (the KPI marts: period_end; the monthly facts: period_start; the
    daily and event tables: their date). A full run leaves test_since null and checks every row.

    Only tests whose verdict on a row depends on that row alone, or on rows of the same period,
    are scoped (scoped_test_names()). Not scoped, and why:
    - unique: a key's duplicate may sit in an older period (the same activity_id on two dates);
    - unique_combination without the period column among its columns: the same;
    - periods_reconcile, rollup_reconciles: a fiscal year row against its months, which straddle
      the boundary;
    - carries_over, cohort_shares_non_increasing, no_overlapping_ranges, row_counts_reconcile
      and the singular tests: they compare rows across periods, or whole tables. -#}
{% macro default__get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- if config.get('where') -%}
        {%- do conditions.append('(' ~ config.get('where') ~ ')') -%}
    {%- endif -%}
    {%- set scope = tested_period_filter() -%}
    {%- if scope -%}
        {%- do conditions.append(scope) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- The generic tests that judge each row by itself (or by rows of its own period). -#}
{% macro scoped_test_names() -%}
    {{ return(['not_null', 'accepted_values', 'relationships', 'expression_is_true',
        'numerator_lte_denominator', 'invalid_share_at_most']) }}
{%- endmacro %}

{#- `<period column> >= first day of test_since's month` for a scoped test of a model naming its
    period column; '' otherwise (test_since null, another test, a model with no period). -#}
{% macro tested_period_filter() -%}
    {%- set since = var('test_since', none) -%}
    {%- if since is none or not execute or not model.attached_node -%}
        {{ return('') }}
    {%- endif -%}
    {%- set tested = graph.nodes.get(model.attached_node) -%}
    {%- set column = tested.config.meta.get('tests_scoped_by') if tested else none -%}
    {%- set metadata = model.test_metadata or {} -%}
    {%- set test_name = metadata.get('name') -%}
    {%- set test_columns = metadata.get('kwargs', {}).get('columns') or [] -%}
    {%- if column and (test_name in scoped_test_names()
        or (test_name == 'unique_combination' and column in test_columns)) -%}
        {%- set first_month = dbt.date_trunc('month', dbt.cast(sql_string_literal(since), 'date')) -%}
        {{ return(column ~ ' >= cast(' ~ first_month ~ ' as date)') }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
