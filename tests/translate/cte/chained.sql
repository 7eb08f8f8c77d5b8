-- A CTE reading an earlier CTE
WITH a AS (SELECT customer_id, total FROM orders), b AS (SELECT customer_id, sum(total) AS s FROM a GROUP BY customer_id) SELECT max(s) FROM b
