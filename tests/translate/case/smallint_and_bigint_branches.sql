-- CASE branches of smallint and bigint resolve to bigint
SELECT id, CASE WHEN is_gift THEN item_count ELSE id END AS v FROM orders
