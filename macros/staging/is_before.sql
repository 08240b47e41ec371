{#- True when the value of column `earlier` is strictly before that of column `later`, compared
    at the coarser precision of the two: when either was written as a bare date, their dates as
    written are compared (created 2026-05-01 15:00, closed on 2026-05-01 is not "closed before
    created"); otherwise the UTC timestamps. Both columns need their cleaned text beside them
    as <column>_text. NULL when either is NULL. -#}
{% macro is_before(earlier, later) -%}
    case
        when {{ dbt.length(earlier ~ '_text') }} = 10 or {{ dbt.length(later ~ '_text') }} = 10
            then {{ try_cast('substring(' ~ earlier ~ '_text, 1, 10)', 'date') }} < {{ try_cast('substring(' ~ later ~ '_text, 1, 10)', 'date') }}
        else {{ earlier }} < {{ later }}
    end
{%- endmacro %}
