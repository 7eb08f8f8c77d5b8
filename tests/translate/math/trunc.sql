-- trunc(x) and trunc(x, n)
SELECT trunc(total), trunc(total, 1), trunc(total::float8) FROM orders
