-- SELECT ALL is the default
SELECT ALL status FROM orders
