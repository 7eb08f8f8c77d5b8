-- generate_series AS t(col)
SELECT t.i FROM generate_series(1, 3) AS t(i)
