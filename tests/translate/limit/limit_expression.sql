-- LIMIT of a constant expression
SELECT id FROM orders LIMIT 2 * 5
