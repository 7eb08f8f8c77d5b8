-- DISTINCT with ORDER BY a selected column
SELECT DISTINCT country FROM customers ORDER BY country
