-- ORDER BY a name that is an output alias and an input column: the output column wins
SELECT id, -total AS total FROM orders ORDER BY total
