-- row_number() OVER (PARTITION BY ... ORDER BY ...)
SELECT id, customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY created_at) AS n FROM orders
