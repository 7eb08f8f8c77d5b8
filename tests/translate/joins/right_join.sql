-- RIGHT JOIN
SELECT c.name, o.id FROM orders o RIGHT JOIN customers c ON o.customer_id = c.id
