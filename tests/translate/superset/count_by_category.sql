-- Superset: a bar chart, COUNT(*) AS count by a dimension
SELECT status AS status, COUNT(*) AS count FROM public.orders GROUP BY status ORDER BY count DESC LIMIT 100
