-- NUMERIC 'literal'
SELECT total * NUMERIC '1.21' AS with_vat FROM orders
