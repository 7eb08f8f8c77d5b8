-- A parameter in a division: its type is unknown to the translator
-- params: 2
SELECT id, item_count / $1 AS per FROM orders
