-- ClickHouse's SETTINGS clause
SELECT id FROM orders SETTINGS max_threads = 1
