-- CROSS JOIN
SELECT p.name, c.country FROM products p CROSS JOIN customers c
