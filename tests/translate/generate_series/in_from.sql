-- generate_series(a, b) in FROM: one row per value
SELECT n FROM generate_series(1, 5) AS n
