-- A string literal cast to timestamp
SELECT id FROM orders WHERE created_at < '2024-03-01 12:30:00'::timestamp
