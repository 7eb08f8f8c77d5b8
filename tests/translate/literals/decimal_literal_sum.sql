-- 0.1 + 0.2 is exactly 0.3: numeric literals are decimals
SELECT id, 0.1 + 0.2 AS x FROM orders
