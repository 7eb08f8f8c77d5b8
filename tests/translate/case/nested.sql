-- Nested CASE
SELECT id, CASE WHEN is_gift THEN CASE WHEN total > 100 THEN 'big gift' ELSE 'gift' END ELSE 'order' END AS kind FROM orders
