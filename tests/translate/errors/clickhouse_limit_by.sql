-- ClickHouse's LIMIT n BY
SELECT id FROM orders ORDER BY total LIMIT 1 BY customer_id
