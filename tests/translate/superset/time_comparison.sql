-- Superset: time comparison reads the same range a year earlier
SELECT DATE_TRUNC('month', created_at) AS __timestamp, COUNT(*) AS count FROM public.orders WHERE created_at >= TO_TIMESTAMP('2023-01-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') AND created_at < TO_TIMESTAMP('2024-01-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') GROUP BY DATE_TRUNC('month', created_at) LIMIT 10000
