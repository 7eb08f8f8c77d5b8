-- ORDER BY an aggregate
SELECT customer_id FROM orders GROUP BY customer_id ORDER BY sum(total) DESC LIMIT 10
