-- string_agg(x, sep ORDER BY y)
SELECT customer_id, string_agg(status, ',' ORDER BY created_at DESC) AS history FROM orders GROUP BY customer_id
