-- HAVING bool_and
SELECT customer_id FROM orders GROUP BY customer_id HAVING bool_and(is_gift)
