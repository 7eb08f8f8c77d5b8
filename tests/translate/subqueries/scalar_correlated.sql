-- A correlated scalar subquery: count of each customer's orders (0 when none)
SELECT c.id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS n FROM customers c
