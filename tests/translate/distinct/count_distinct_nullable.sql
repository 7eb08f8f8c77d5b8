-- count(DISTINCT x) ignores NULLs
SELECT count(DISTINCT coupon) AS coupons FROM orders
