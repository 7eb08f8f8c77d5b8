-- ClickHouse's FORMAT clause
SELECT id FROM orders FORMAT JSON
