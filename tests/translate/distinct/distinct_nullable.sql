-- DISTINCT keeps one NULL
SELECT DISTINCT city FROM customers
