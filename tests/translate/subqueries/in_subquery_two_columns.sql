-- Row-valued IN (subquery)
SELECT id FROM orders WHERE (customer_id, order_date) IN (SELECT customer_id, max(order_date) FROM orders GROUP BY customer_id)
