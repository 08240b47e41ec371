-- invalid_share_at_most: every table under half invalid, and deals staged rows; a table with
-- no rows at all (an optional table left out) is not a failure.
select 'deals' as source_table, 95 as staged_rows, 5 as invalid_rows
union all select 'activities', 60, 40
union all select 'email_events', 0, 0
