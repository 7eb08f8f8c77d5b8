-- A Map column is read as jsonb
SELECT id, attributes FROM customers
