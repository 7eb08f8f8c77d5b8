-- coalesce of two timestamps
SELECT coalesce(shipped_at, created_at) FROM orders
