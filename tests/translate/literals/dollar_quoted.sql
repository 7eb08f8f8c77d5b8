-- A dollar-quoted string
SELECT id FROM products WHERE name = $$It's$$
