-- generate_series over dates with an interval step is refused: 0A000
SELECT d::date FROM generate_series(DATE '2024-01-01', DATE '2024-01-31', INTERVAL '1 day') AS d
