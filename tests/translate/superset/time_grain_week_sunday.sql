-- Superset: week grain starting Sunday
SELECT DATE_TRUNC('week', created_at + INTERVAL '1 day') - INTERVAL '1 day' AS __timestamp, COUNT(*) AS count FROM public.orders GROUP BY DATE_TRUNC('week', created_at + INTERVAL '1 day') - INTERVAL '1 day' LIMIT 10000
