-- NOT ILIKE
SELECT id FROM customers WHERE name NOT ILIKE 'a%'
