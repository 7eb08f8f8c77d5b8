-- GROUP BY a boolean expression
SELECT total > 100 AS big, count(*) FROM orders GROUP BY total > 100
