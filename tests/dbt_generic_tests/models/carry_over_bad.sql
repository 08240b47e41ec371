-- April ends with 10 customers but May starts with 9: the count does not carry over.
select 'month' as period_grain, date '2025-04-01' as period_start, date '2025-04-30' as period_end, 'company' as scope, 'company' as scope_id, 8 as customers_at_start, 10 as customers_at_end
union all select 'month', date '2025-05-01', date '2025-05-31', 'company', 'company', 9, 11
