-- extract(second) includes the fraction
SELECT extract(second FROM created_at) FROM orders
