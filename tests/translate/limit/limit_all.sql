-- LIMIT ALL is no limit
SELECT id FROM orders LIMIT ALL
