-- array_agg(DISTINCT x) drops duplicates
SELECT array_agg(DISTINCT status) FROM orders
