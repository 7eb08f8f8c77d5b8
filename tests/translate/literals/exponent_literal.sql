-- 1e3 is numeric in PostgreSQL
SELECT id, 1e3 AS thousand, 2.5E-1 AS quarter FROM orders
