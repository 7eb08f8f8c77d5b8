-- = ANY (subquery) is IN
SELECT id FROM customers WHERE id = ANY (SELECT customer_id FROM orders)
