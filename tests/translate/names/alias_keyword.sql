-- Aliases that are keywords
SELECT id AS "select", total AS "from" FROM orders
