-- EXPLAIN of a query
EXPLAIN SELECT id FROM orders
