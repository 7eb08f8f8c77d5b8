-- Without bound values (Describe), $n is NULL
SELECT id FROM orders WHERE status = $1
