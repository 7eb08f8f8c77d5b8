-- UNION removes duplicates (DISTINCT written out for ClickHouse)
SELECT customer_id FROM orders UNION SELECT id FROM customers
