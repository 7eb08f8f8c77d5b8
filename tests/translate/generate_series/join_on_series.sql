-- A series joined with a datasource on a value
SELECT s.h, count(o.id) FROM generate_series(0, 23) AS s(h) LEFT JOIN orders o ON extract(hour FROM o.created_at) = s.h GROUP BY s.h ORDER BY s.h
