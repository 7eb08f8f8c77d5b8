-- NOT LIKE
SELECT id FROM customers WHERE name NOT LIKE 'Test%'
