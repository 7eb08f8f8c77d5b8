-- LIMIT NULL is no limit in PostgreSQL
SELECT id FROM orders LIMIT NULL
