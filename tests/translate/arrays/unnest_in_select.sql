-- unnest(a) in the select list: one row per element
SELECT id, unnest(tags) AS tag FROM orders
