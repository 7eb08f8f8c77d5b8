-- greatest and least ignore NULLs in PostgreSQL
SELECT greatest(total, discount, 0), least(total, discount) FROM orders
