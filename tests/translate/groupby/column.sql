-- GROUP BY a column; count(*) is bigint
SELECT status, count(*) FROM orders GROUP BY status
