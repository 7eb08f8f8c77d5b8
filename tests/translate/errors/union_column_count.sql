-- UNION arms with different column counts: 42601 in PostgreSQL
SELECT id, total FROM orders UNION SELECT id FROM customers
