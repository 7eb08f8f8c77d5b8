-- coalesce(numeric, 0)
SELECT coalesce(discount, 0) AS discount FROM orders
