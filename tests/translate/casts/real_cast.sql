-- ::real
SELECT total::real FROM orders
