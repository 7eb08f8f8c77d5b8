-- LIMIT 0: no rows, only the header (how clients read a query's shape)
SELECT * FROM orders LIMIT 0
