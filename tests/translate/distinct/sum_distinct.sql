-- sum(DISTINCT x)
SELECT sum(DISTINCT total) FROM orders
