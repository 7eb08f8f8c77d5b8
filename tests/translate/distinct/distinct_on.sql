-- DISTINCT ON (keys): the first row of each key in ORDER BY order (LIMIT 1 BY)
SELECT DISTINCT ON (customer_id) customer_id, id, total FROM orders ORDER BY customer_id, created_at DESC
