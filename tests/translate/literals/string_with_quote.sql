-- A string with a doubled quote
SELECT id FROM customers WHERE name = 'O''Brien'
