-- first_value and last_value with the default frame
SELECT id, first_value(total) OVER (PARTITION BY customer_id ORDER BY created_at) AS first_total, last_value(total) OVER (PARTITION BY customer_id ORDER BY created_at) AS last_so_far FROM orders
