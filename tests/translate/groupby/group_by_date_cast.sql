-- GROUP BY a date cast of a timestamp
SELECT created_at::date AS day, count(*) FROM orders GROUP BY created_at::date ORDER BY day
