-- array_agg(x)
SELECT customer_id, array_agg(id) AS ids FROM orders GROUP BY customer_id
