-- A calendar of days left-joined with daily counts (refused: timestamps)
SELECT d.day, count(o.id) FROM generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-07', INTERVAL '1 day') AS d(day) LEFT JOIN orders o ON o.created_at::date = d.day::date GROUP BY d.day ORDER BY d.day
