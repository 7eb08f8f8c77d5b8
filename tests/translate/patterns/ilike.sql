-- ILIKE is case-insensitive
SELECT id FROM customers WHERE name ILIKE '%smith%'
