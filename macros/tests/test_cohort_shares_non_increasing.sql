{#- Passes when, within every partition (e.g. a cohort and scope), `numerator` never rises as
    `age_column` grows: the customers of a cohort still retained N months later are at most
    those retained N − 1 months later. Failing rows are the cells that rose. -#}
{% test cohort_shares_non_increasing(model, age_column, numerator, partition_by) %}

with

ordered as (
    select
        {{ partition_by | join(', ') }},
        {{ age_column }},
        {{ numerator }},
        lag({{ numerator }}) over (
            partition by {{ partition_by | join(', ') }}
            order by {{ age_column }}
        ) as previous_value
    from {{ model }}
)

select *
from ordered
where {{ numerator }} > previous_value

{% endtest %}
