-- CASE without ELSE is NULL when nothing matches
SELECT id, CASE WHEN is_gift THEN 'gift' END AS label FROM orders
