-- Aliases name the result columns; an unquoted alias folds to lower case
SELECT id, total AS Amount, status AS "Status" FROM orders
