-- An unaliased CASE column is named case
SELECT CASE WHEN is_gift THEN 1 ELSE 0 END FROM orders
