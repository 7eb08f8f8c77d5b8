-- CASE x WHEN NULL never matches (x = NULL is NULL)
SELECT id, CASE coupon WHEN NULL THEN 'none' ELSE 'some' END AS c FROM orders
