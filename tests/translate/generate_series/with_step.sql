-- generate_series with a step
SELECT x FROM generate_series(0, 100, 25) AS x
