-- Superset: samples of a dataset
SELECT * FROM public.customers LIMIT 100
