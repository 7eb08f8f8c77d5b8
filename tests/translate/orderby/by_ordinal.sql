-- ORDER BY ordinals
SELECT status, count(*) FROM orders GROUP BY status ORDER BY 2 DESC, 1
