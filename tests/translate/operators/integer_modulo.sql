-- int % int
SELECT id, id % 10 AS bucket FROM orders
