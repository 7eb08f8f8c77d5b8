-- string_agg(x, sep)
SELECT customer_id, string_agg(status, ', ') FROM orders GROUP BY customer_id
