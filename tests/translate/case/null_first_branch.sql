-- A first branch that is NULL: the type comes from the others
SELECT id, CASE WHEN discount IS NULL THEN NULL ELSE total - discount END AS net FROM orders
