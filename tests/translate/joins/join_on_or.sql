-- A join condition with OR
SELECT o.id, c.id FROM orders o JOIN customers c ON o.customer_id = c.id OR o.coupon = c.email
