select 'deals' as source_table, 10 as raw_rows, 7 as staged_rows, 3 as rejected_rows
union all select 'leads', 10, 7, 2
