-- A comparison in the select list is a boolean column
SELECT id, total > 100 AS big, is_gift FROM orders
