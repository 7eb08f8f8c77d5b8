-- coalesce over an aggregate
SELECT customer_id, coalesce(max(discount), 0) FROM orders GROUP BY customer_id
