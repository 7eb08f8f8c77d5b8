-- CASE with boolean results
SELECT id, CASE WHEN total > 100 THEN true ELSE false END AS big FROM orders
