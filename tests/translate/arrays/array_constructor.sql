-- ARRAY[...] of literals
SELECT id, ARRAY[1, 2, 3] AS a FROM orders
