-- A parameter with an explicit cast
-- params: '2024-01-01 00:00:00'
SELECT id FROM orders WHERE created_at >= $1::timestamp
