-- LIMIT inside a derived table
SELECT count(*) FROM (SELECT id FROM orders ORDER BY total DESC LIMIT 100) t
