-- A CTE inside a subquery
SELECT * FROM (WITH big AS (SELECT id FROM orders WHERE total > 1000) SELECT id FROM big) t
