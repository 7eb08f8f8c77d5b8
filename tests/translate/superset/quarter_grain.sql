-- Superset: quarter grain
SELECT DATE_TRUNC('quarter', created_at) AS __timestamp, SUM(item_count) AS "SUM(item_count)" FROM public.orders GROUP BY DATE_TRUNC('quarter', created_at) LIMIT 10000
