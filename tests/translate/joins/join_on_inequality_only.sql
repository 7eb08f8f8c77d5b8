-- A join on an inequality only
SELECT p.id, q.id FROM products p JOIN products q ON p.price < q.price
