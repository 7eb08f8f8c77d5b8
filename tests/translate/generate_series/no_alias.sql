-- generate_series without an alias: the column is generate_series
SELECT generate_series FROM generate_series(1, 3)
