-- DISTINCT ON inside a UNION arm
SELECT DISTINCT ON (customer_id) customer_id, total FROM orders UNION ALL SELECT id, lifetime_value FROM customers
