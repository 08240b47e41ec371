-- A cohort of 10 keeps 8 after one month, then 9 after two: the curve rises.
select date '2025-04-01' as cohort_month, 0 as months_since, 10 as retained
union all select date '2025-04-01', 1, 8
union all select date '2025-04-01', 2, 9
