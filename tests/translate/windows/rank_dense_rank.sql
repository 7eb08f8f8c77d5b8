-- rank and dense_rank; DESC puts NULLs first in PostgreSQL
SELECT id, rank() OVER (ORDER BY discount DESC) AS r, dense_rank() OVER (ORDER BY discount DESC) AS dr FROM orders
