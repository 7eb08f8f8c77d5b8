-- An aggregate of an expression
SELECT sum(total - coalesce(discount, 0)) AS net FROM orders
