{#- The select of one row per staged rep with a fingerprint of everything int_activities_enriched
    takes from the rep dimensions: the rep's name and whole team assignment history. Stored on
    every enriched activity, it tells an incremental run which reps changed since their rows
    were enriched. The activities of no staged rep (rep_id unknown_member()) get a fingerprint of
    the list of staged rep ids: they are re-enriched when a rep appears or disappears, not on
    every run (on Spark that would rewrite every month). Written with subqueries, not a WITH, so
    it can sit inside an IN (...). -#}
{% macro rep_history_hashes() -%}
    {%- set assignment_text = dbt.concat([
        'team_id', "'|'", "coalesce(team_name, '')", "'|'",
        'cast(valid_from as ' ~ dbt.type_string() ~ ')', "'|'",
        'cast(valid_to as ' ~ dbt.type_string() ~ ')',
    ]) -%}
    select
        reps.rep_id,
        {{ dbt.hash(dbt.concat([
            "coalesce(reps.rep_name, '')", "'#'", "coalesce(assignment_histories.assignment_history, '')"
        ])) }} as rep_history_hash
    from {{ ref('stg_crm__reps') }} as reps
    left join (
        select
            rep_id,
            {{ sorted_string_agg(assignment_text, "';'") }} as assignment_history
        from {{ ref('int_rep_team_assignments') }}
        group by rep_id
    ) as assignment_histories
        on reps.rep_id = assignment_histories.rep_id
    union all
    select
        {{ unknown_member() }} as rep_id,
        {{ dbt.hash("coalesce(" ~ sorted_string_agg('rep_id', "';'") ~ ", '')") }} as rep_history_hash
    from {{ ref('stg_crm__reps') }}
{%- endmacro %}

{#- The rows an incremental run of int_activities_enriched replaces (its `incremental_slice` for
    the replace_slice strategy), as a predicate on activity_id. A key is in the slice when
    - base_crm__activities has a row of it (staged or rejected) at or after the cutoff, or with
      no parsable start: the keys the base model re-read. The cutoff is incremental_cutoff():
      the newest enriched activity minus var('incremental_lookback_days');
    - it is enriched at or after the cutoff, or dated after var('as_of_date') (so an earlier
      as-of date drops it);
    - its rep's name or team history changed (rep_history_hashes() differs from the hash stored
      with the rep's rows), or the rep appeared or disappeared: all the rep's activities.
    Only key, time and rep columns are read, and the slice is typically the window plus a few
    reps. -#}
{% macro activities_enriched_slice(temp_relation=none) -%}
    {%- set cutoff = incremental_cutoff('started_at', staged_only=false) -%}
    {%- set as_of = dbt.cast(sql_string_literal(var('as_of_date')), 'date') -%}
    activity_id in (
        select candidates.activity_id
        from (
            select
                activity_id,
                rep_id,
                case when started_at is null or started_at >= {{ cutoff }} then 1 else 0 end as is_in_window
            from {{ ref('base_crm__activities') }}
            where activity_id is not null
            union all
            select
                activity_id,
                rep_id,
                case when started_at >= {{ cutoff }} or activity_date > {{ as_of }} then 1 else 0 end as is_in_window
            from {{ this }}
        ) as candidates
        left join (
            {{ changed_fingerprint_keys('rep_id', rep_history_hashes(), 'rep_history_hash', distinct=true) | indent(12) }}
        ) as changed_reps
            on candidates.rep_id = changed_reps.rep_id
        where candidates.is_in_window = 1 or changed_reps.rep_id is not null
    )
{%- endmacro %}
