-- HAVING without GROUP BY: one group or none
SELECT count(*) FROM orders HAVING count(*) > 0
