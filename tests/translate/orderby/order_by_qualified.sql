-- ORDER BY a qualified column of a join
SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY c.name, o.id DESC
