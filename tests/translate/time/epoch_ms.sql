-- Epoch milliseconds
SELECT (extract(epoch FROM created_at) * 1000)::bigint AS ms FROM orders
