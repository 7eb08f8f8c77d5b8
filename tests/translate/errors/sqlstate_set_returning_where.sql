-- A set-returning function in WHERE: 0A000 in PostgreSQL
SELECT id FROM orders WHERE generate_series(1, 2) = 1
