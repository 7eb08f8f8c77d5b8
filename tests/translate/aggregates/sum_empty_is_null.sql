-- sum over no rows is NULL, count is 0
SELECT sum(total), count(*) FROM orders WHERE false
