-- TIMESTAMP 'literal'
SELECT id FROM orders WHERE created_at >= TIMESTAMP '2024-01-01 00:00:00'
