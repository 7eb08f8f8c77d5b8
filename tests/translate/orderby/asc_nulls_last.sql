-- ASC puts NULLs last in PostgreSQL (ClickHouse's default too)
SELECT id, discount FROM orders ORDER BY discount
