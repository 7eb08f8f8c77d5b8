-- DESC puts NULLs first in PostgreSQL: NULLS FIRST is written out
SELECT id, discount FROM orders ORDER BY discount DESC
