-- The quarter says 6 but its months add up to 5.
select 'month' as period_grain, date '2025-04-01' as period_start, date '2025-04-30' as period_end, 'company' as scope, 'company' as scope_id, 2 as deals_won
union all select 'month', date '2025-05-01', date '2025-05-31', 'company', 'company', 3
union all select 'fiscal_quarter', date '2025-04-01', date '2025-06-30', 'company', 'company', 6
union all select 'fiscal_year', date '2025-04-01', date '2026-03-31', 'company', 'company', 6
