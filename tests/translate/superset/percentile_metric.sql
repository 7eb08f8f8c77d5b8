-- Superset: a percentile metric written as SQL
SELECT status AS status, percentile_cont(0.9) WITHIN GROUP (ORDER BY total) AS p90 FROM public.orders GROUP BY status LIMIT 100
