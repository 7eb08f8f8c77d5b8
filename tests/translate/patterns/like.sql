-- LIKE with % and _
SELECT id FROM customers WHERE email LIKE '%@example.___'
