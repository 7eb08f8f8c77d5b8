-- 100.0 * count / total keeps the fraction
SELECT status, round(100.0 * count(*) / (SELECT count(*) FROM orders), 2) AS pct FROM orders GROUP BY status
