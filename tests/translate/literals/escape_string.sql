-- E'...' reads backslash escapes
SELECT id FROM products WHERE name = E'Tab\there'
