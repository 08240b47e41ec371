-- Rates rows: one good, one whose numerator exceeds its denominator, one with a rate where the
-- denominator is 0, one with a NULL rate where the denominator is positive.
select 'good' as case_name, 1 as won, 2 as closed, 50.0 as rate_pct
union all select 'bad_numerator', 3, 2, 150.0
union all select 'bad_zero_denominator', 0, 0, 0.0
union all select 'bad_null_rate', 1, 4, null
