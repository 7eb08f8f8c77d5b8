-- An aggregate with FILTER and OVER
SELECT id, count(*) FILTER (WHERE is_gift) OVER (PARTITION BY customer_id) AS gifts FROM orders
