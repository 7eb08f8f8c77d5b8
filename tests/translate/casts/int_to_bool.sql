-- integer::boolean
SELECT (item_count > 0)::int AS has_items, item_count::boolean FROM orders
