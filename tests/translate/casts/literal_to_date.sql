-- A string literal cast to date
SELECT id FROM orders WHERE order_date >= '2024-03-01'::date
