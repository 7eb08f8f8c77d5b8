-- make_timestamp(y, mo, d, h, mi, s) with fractional seconds
SELECT make_timestamp(2024, 1, 15, 10, 30, 15.5) FROM orders LIMIT 1
