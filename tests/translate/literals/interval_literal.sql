-- INTERVAL '1 day 2 hours'
SELECT id, created_at + INTERVAL '1 day 2 hours' AS later FROM orders
