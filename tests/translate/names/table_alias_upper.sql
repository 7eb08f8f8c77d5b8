-- An unquoted table alias folds to lower case
SELECT O.id, o.total FROM orders O
