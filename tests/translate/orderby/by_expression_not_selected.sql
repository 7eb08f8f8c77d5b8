-- ORDER BY an expression over input columns that is not in the select list
SELECT id FROM orders ORDER BY total - coalesce(discount, 0) DESC
