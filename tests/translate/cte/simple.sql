-- One CTE
WITH paid AS (SELECT * FROM orders WHERE status = 'paid') SELECT count(*) FROM paid
