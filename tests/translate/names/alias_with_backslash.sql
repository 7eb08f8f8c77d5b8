-- A backslash inside an alias is escaped for ClickHouse, which reads backslash escapes
SELECT status AS "a\b" FROM orders
