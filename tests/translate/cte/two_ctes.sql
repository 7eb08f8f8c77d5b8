-- Two CTEs joined
WITH c AS (SELECT id, name FROM customers), o AS (SELECT customer_id, sum(total) AS revenue FROM orders GROUP BY customer_id) SELECT c.name, o.revenue FROM c JOIN o ON o.customer_id = c.id
