-- A half-open date range on a timestamp column
SELECT count(*) FROM orders WHERE created_at >= '2024-01-01' AND created_at < '2024-02-01'
