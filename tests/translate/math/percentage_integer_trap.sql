-- 100 * count / total with integers truncates in PostgreSQL
SELECT status, 100 * count(*) / (SELECT count(*) FROM orders) AS pct FROM orders GROUP BY status
