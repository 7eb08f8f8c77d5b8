-- LIKE on a LowCardinality column
SELECT DISTINCT status FROM orders WHERE status LIKE 'pa%'
