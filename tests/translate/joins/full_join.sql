-- FULL OUTER JOIN
SELECT c.id AS customer, o.id AS order_id FROM customers c FULL OUTER JOIN orders o ON o.customer_id = c.id
