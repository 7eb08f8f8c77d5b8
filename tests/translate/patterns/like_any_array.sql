-- LIKE ANY (ARRAY[...])
SELECT id FROM customers WHERE email LIKE ANY (ARRAY['%@gmail.com', '%@yahoo.com'])
