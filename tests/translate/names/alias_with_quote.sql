-- A double quote inside an alias is escaped for ClickHouse
SELECT status AS "it""s" FROM orders
