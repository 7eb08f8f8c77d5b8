-- = ANY ('{a,b}') with an untyped array literal
SELECT id FROM orders WHERE status = ANY ('{paid,shipped}')
