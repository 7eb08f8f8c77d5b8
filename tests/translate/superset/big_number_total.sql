-- Superset: big number with the dataset's metric
SELECT SUM(total) AS "SUM(total)" FROM public.orders WHERE order_date >= TO_DATE('2024-01-01', 'YYYY-MM-DD') LIMIT 50000
