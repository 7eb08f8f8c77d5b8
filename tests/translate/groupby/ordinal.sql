-- GROUP BY an ordinal
SELECT status, sum(total) FROM orders GROUP BY 1
