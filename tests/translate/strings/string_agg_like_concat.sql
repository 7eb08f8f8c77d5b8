-- Concatenating a nullable column with ||
SELECT name || ' (' || city || ')' FROM customers
