-- ORDER BY an ordinal after a UNION
SELECT status FROM orders UNION SELECT event FROM events ORDER BY 1
