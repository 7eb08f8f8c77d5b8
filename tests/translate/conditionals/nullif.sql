-- nullif(a, b) is NULL when a = b
SELECT nullif(coupon, '') FROM orders
