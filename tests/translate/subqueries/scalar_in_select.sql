-- An uncorrelated scalar subquery in the select list
SELECT id, total - (SELECT avg(total) FROM orders) AS diff FROM orders
