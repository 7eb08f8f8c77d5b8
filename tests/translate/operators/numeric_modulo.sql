-- numeric % numeric keeps the fraction
SELECT id, total % 1 AS cents FROM orders
