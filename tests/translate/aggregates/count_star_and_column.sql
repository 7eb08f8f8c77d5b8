-- count(*) counts rows, count(x) non-NULL values; both bigint
SELECT count(*), count(discount), count(1) FROM orders
