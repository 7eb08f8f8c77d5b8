-- Join with an aggregated derived table
SELECT c.name, t.orders FROM customers c JOIN (SELECT customer_id, count(*) AS orders FROM orders GROUP BY customer_id) t ON t.customer_id = c.id
