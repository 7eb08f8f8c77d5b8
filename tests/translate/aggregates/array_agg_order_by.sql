-- array_agg(x ORDER BY y)
SELECT customer_id, array_agg(total ORDER BY created_at) AS totals FROM orders GROUP BY customer_id
