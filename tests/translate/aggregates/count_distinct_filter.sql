-- count(DISTINCT x) FILTER (...)
SELECT count(DISTINCT customer_id) FILTER (WHERE total > 100) FROM orders
