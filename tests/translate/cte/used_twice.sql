-- One CTE read twice
WITH s AS (SELECT status, count(*) AS n FROM orders GROUP BY status) SELECT a.status, a.n, b.n AS total FROM s a CROSS JOIN (SELECT sum(n) AS n FROM s) b
