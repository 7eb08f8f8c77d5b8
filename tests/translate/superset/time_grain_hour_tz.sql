-- Superset: hour grain on a timestamptz column
SELECT DATE_TRUNC('hour', shipped_at) AS __timestamp, COUNT(*) AS count FROM public.orders GROUP BY DATE_TRUNC('hour', shipped_at) LIMIT 10000
