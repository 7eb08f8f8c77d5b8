-- Superset: a raw-records table chart
SELECT id AS id, status AS status, total AS total FROM public.orders ORDER BY total DESC LIMIT 1000
