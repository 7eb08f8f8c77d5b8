-- lag with an offset and a default
SELECT id, lag(status, 1, 'none') OVER (PARTITION BY customer_id ORDER BY id) AS prev_status FROM orders
