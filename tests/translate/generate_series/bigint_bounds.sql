-- generate_series over bigint
SELECT x FROM generate_series(3000000000, 3000000002) AS x
