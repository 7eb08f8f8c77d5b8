-- An expression cast to interval: 0A000
SELECT (item_count || ' days')::interval FROM orders
