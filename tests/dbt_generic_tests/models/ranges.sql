select 'R1' as rep_id, date '2025-01-01' as valid_from, date '2025-03-31' as valid_to
union all select 'R1', date '2025-03-15', date '2025-12-31'
union all select 'R2', date '2025-01-01', date '2025-03-31'
union all select 'R2', date '2025-04-01', date '2025-12-31'
