-- invalid_share_at_most: deals staged nothing (all invalid) and activities lost 60 % of their
-- distinct rows; leads 10 % (under the limit); accounts only duplicates (never counted).
select 'deals' as source_table, 0 as staged_rows, 40 as invalid_rows
union all select 'activities', 40, 60
union all select 'leads', 90, 10
union all select 'accounts', 100, 0
