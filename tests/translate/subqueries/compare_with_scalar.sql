-- WHERE x > (scalar subquery)
SELECT id FROM orders WHERE total > (SELECT avg(total) FROM orders)
