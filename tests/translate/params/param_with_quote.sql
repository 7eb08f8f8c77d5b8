-- A text parameter holding a quote and a backslash, as the gateway quotes it
-- params: 'O\'Brien \\ Co'
SELECT id FROM customers WHERE name = $1
