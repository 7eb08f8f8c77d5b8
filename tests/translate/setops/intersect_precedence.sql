-- INTERSECT binds tighter than UNION
SELECT id FROM customers UNION SELECT customer_id FROM orders INTERSECT SELECT id FROM customers WHERE is_active
