-- Superset: month grain with an ascending time order
SELECT DATE_TRUNC('month', order_date) AS order_date, AVG(total) AS "AVG(total)" FROM public.orders GROUP BY DATE_TRUNC('month', order_date) ORDER BY order_date ASC LIMIT 1000
