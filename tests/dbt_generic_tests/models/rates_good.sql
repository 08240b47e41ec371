select 'good' as case_name, 1 as won, 2 as closed, 50.0 as rate_pct
union all select 'zero', 0, 0, null
