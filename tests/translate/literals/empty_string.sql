-- The empty string is not NULL
SELECT id FROM customers WHERE email <> ''
