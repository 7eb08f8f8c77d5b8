-- Superset: native filters IN and LIKE
SELECT country AS country, COUNT(*) AS count FROM public.customers WHERE country IN ('DE', 'FR', 'US') AND name LIKE '%GmbH%' GROUP BY country LIMIT 1000
