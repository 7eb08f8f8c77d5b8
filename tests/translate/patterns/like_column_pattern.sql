-- LIKE with a pattern from a column
SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email LIKE '%' || o.coupon || '%'
