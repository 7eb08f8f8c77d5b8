-- A non-ASCII string literal
SELECT id FROM customers WHERE city = 'Zürich'
