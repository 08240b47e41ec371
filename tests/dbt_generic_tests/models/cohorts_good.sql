-- Two cohorts whose curves never rise (flat is fine).
select date '2025-04-01' as cohort_month, 0 as months_since, 10 as retained
union all select date '2025-04-01', 1, 8
union all select date '2025-04-01', 2, 8
union all select date '2025-05-01', 0, 5
union all select date '2025-05-01', 1, 4
