-- ORDER BY a text column: PostgreSQL's collation versus ClickHouse's byte order
SELECT name FROM customers ORDER BY name
