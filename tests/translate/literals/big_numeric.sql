-- A literal past bigint is numeric
SELECT 123456789012345678901234567890 AS n FROM orders LIMIT 1
