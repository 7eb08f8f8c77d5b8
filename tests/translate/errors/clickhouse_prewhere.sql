-- ClickHouse's PREWHERE
SELECT id FROM orders PREWHERE total > 1
