-- WINDOW w AS (...) shared by two calls
SELECT id, sum(total) OVER w AS s, count(*) OVER w AS n FROM orders WINDOW w AS (PARTITION BY customer_id ORDER BY id)
