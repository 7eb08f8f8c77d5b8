-- Aliases with spaces and punctuation are quoted
SELECT total AS "Total Revenue", id AS "# of Orders" FROM orders
