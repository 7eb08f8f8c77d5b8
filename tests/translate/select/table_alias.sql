-- A table alias qualifies columns; a qualified column keeps its own name
SELECT o.id, o.total FROM orders AS o WHERE o.total > 100
