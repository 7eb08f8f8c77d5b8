-- Division by zero is an error in PostgreSQL (22012); nullif avoids it
SELECT total / nullif(item_count, 0) AS per_item FROM orders
