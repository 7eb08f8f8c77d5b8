-- A function in WHERE
SELECT id FROM customers WHERE upper(country) = 'DE'
