-- Text comparison and ordering
SELECT name FROM customers WHERE name > 'M' AND name < 'Z'
