-- coalesce over a LEFT JOIN's NULLs
SELECT c.id, coalesce(sum(o.total), 0) AS revenue FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id
