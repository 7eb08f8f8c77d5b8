-- LEFT JOIN ... WHERE right.key IS NULL: customers without orders
SELECT c.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL
