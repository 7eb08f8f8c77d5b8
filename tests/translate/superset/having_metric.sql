-- Superset: HAVING on a metric
SELECT customer_id AS customer_id, SUM(total) AS "SUM(total)" FROM public.orders GROUP BY customer_id HAVING SUM(total) > 1000 ORDER BY "SUM(total)" DESC LIMIT 100
