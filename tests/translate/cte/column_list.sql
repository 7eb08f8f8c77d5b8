-- WITH name(columns) renames the CTE's columns
WITH t(customer, revenue) AS (SELECT customer_id, sum(total) FROM orders GROUP BY customer_id) SELECT customer, revenue FROM t ORDER BY revenue DESC
