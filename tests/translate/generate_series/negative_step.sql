-- A negative step counts down
SELECT x FROM generate_series(10, 1, -3) AS x
