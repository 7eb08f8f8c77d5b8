-- count(DISTINCT x)
SELECT count(DISTINCT customer_id) FROM orders
