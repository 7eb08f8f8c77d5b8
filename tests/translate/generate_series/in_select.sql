-- generate_series in the select list: one row per value
SELECT id, generate_series(1, item_count) AS unit FROM orders
