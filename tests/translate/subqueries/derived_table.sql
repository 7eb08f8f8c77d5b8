-- A derived table with an alias
SELECT t.status, t.n FROM (SELECT status, count(*) AS n FROM orders GROUP BY status) AS t WHERE t.n > 10
