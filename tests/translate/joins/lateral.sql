-- LATERAL subqueries are refused: 0A000
SELECT c.id, t.total FROM customers c CROSS JOIN LATERAL (SELECT o.total FROM orders o WHERE o.customer_id = c.id ORDER BY o.total DESC LIMIT 1) t
