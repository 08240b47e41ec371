{#- on-run-start hook: the SQL functions an engine lacks, created in the target schema before
    any model runs. PostgreSQL: try_cast_text(value, type_name) — the value cast to the type and
    back to text, or NULL when the cast fails (PostgreSQL has no try_cast); postgres__try_cast
    casts its result, which can no longer fail. Other engines need nothing.
    `parallel unsafe`: the exception block is a subtransaction, which PostgreSQL forbids in a
    parallel plan ("cannot start subtransactions during a parallel operation"; its docs name an
    EXCEPTION block as what makes a function parallel unsafe). Marked `parallel safe`, it failed
    base_crm__activities over the connector adapters' views, where the planner chose a parallel plan. -#}
{% macro create_engine_functions() -%}
    {{ return(adapter.dispatch('create_engine_functions', 'sales_kpi_warehouse')()) }}
{%- endmacro %}

{% macro default__create_engine_functions() -%}
    select 1 as no_engine_functions_needed
{%- endmacro %}

{% macro postgres__create_engine_functions() -%}
    create schema if not exists {{ target.schema }};
    create or replace function {{ target.schema }}.try_cast_text(value text, type_name text)
    returns text
    language plpgsql stable parallel unsafe
    as $function$
    declare
        result text;
    begin
        execute 'select cast(cast($1 as ' || type_name || ') as text)' into result using value;
        return result;
    exception when others then
        return null;
    end
    $function$
{%- endmacro %}
