-- ::varchar(n) cuts to n characters
SELECT name::varchar(5) AS short FROM customers
