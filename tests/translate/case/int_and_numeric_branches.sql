-- CASE branches of integer and numeric resolve to numeric
SELECT id, CASE WHEN is_gift THEN 0 ELSE total END AS charged FROM orders
