-- An output alias inside an ORDER BY expression is not visible in PostgreSQL (42703)
SELECT id, total * 2 AS doubled FROM orders ORDER BY doubled + 1
