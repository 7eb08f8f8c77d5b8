-- SELECT DISTINCT over several columns
SELECT DISTINCT country, segment FROM customers
