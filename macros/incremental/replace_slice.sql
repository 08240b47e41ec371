{#- Custom incremental strategy `replace_slice` (DuckDB, PostgreSQL): an incremental run deletes
    the slice of the existing table that the model's `incremental_slice` config names, then
    inserts the new rows. `incremental_slice` is the name of a macro rendering a predicate over
    the table's own columns; the model filters its rows with the same macro, so the slice deleted
    and the slice rebuilt are one set by construction. Unlike delete+insert on a unique key, a row
    whose key is in the slice but that no longer qualifies (rejected since, or now past
    var('as_of_date')) is deleted, not left behind. The macro is called at run time, after the
    new rows are written to the temporary relation, so its reads of {{ this }} see the table as
    it was before the delete. The macro is called with `temp_relation` (the new rows), which a
    slice may use to name the same set more cheaply than it did for the select (snapshot_slice). -#}
{% macro get_incremental_replace_slice_sql(arg_dict) -%}
    {%- set slice_macro = config.require('incremental_slice') -%}
    {%- if slice_macro not in context -%}
        {{ exceptions.raise_compiler_error(
            "incremental_slice names macro '" ~ slice_macro ~ "', which does not exist: set it to the"
            ~ " name of a macro that renders the predicate of the rows this model replaces"
        ) }}
    {%- endif -%}
    {%- set dest_columns_csv = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ context[slice_macro](temp_relation=arg_dict['temp_relation']) }};

    insert into {{ arg_dict['target_relation'] }} ({{ dest_columns_csv }})
    select {{ dest_columns_csv }}
    from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
