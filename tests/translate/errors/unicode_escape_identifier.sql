-- A Unicode-escaped identifier U&"\0069d" (id in PostgreSQL)
SELECT U&"\0069d" FROM orders
