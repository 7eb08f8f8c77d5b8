-- A column outside an aggregate without GROUP BY
SELECT status, count(*) FROM orders
