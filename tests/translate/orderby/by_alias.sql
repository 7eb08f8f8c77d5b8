-- ORDER BY an output alias
SELECT id, total * 2 AS doubled FROM orders ORDER BY doubled
