-- Derived tables nested two deep
SELECT x.s FROM (SELECT y.status AS s FROM (SELECT status FROM orders WHERE total > 0) y) x
