-- HAVING compared with a scalar subquery
SELECT customer_id FROM orders GROUP BY customer_id HAVING sum(total) > (SELECT avg(total) * 10 FROM orders)
