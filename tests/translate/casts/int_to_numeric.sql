-- integer::numeric
SELECT id, item_count::numeric AS n FROM orders
