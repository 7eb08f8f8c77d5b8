-- generate_series over numeric is refused: 0A000
SELECT x FROM generate_series(0, 1, 0.25) AS x
