-- UNION ALL keeps duplicates
SELECT status FROM orders UNION ALL SELECT event FROM events
