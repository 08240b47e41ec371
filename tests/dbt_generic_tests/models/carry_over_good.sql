-- April ends with 10 customers and May starts with 10; the first period has no predecessor.
select 'month' as period_grain, date '2025-04-01' as period_start, date '2025-04-30' as period_end, 'company' as scope, 'company' as scope_id, 8 as customers_at_start, 10 as customers_at_end
union all select 'month', date '2025-05-01', date '2025-05-31', 'company', 'company', 10, 11
