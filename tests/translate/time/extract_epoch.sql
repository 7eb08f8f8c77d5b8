-- extract(epoch) in seconds with the fraction
SELECT extract(epoch FROM created_at) FROM orders
