-- coalesce picks the first non-NULL
SELECT coalesce(coupon, 'none') FROM orders
