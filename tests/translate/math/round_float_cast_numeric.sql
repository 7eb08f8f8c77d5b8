-- round(x::numeric, 2): the usual way to round a float
SELECT round(score::numeric, 2) FROM customers
