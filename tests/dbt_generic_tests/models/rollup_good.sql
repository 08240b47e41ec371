select 'month' as period_grain, date '2025-04-01' as period_start, 'rep' as scope, 'R1' as scope_id, 1 as deals_won
union all select 'month', date '2025-04-01', 'rep', 'R2', 2
union all select 'month', date '2025-04-01', 'team', 'T1', 3
