-- A CTE named like a datasource hides it
WITH orders AS (SELECT id, total FROM orders WHERE total > 100) SELECT count(*) FROM orders
