-- array_agg keeps NULLs; groupArray drops them
SELECT array_agg(coupon) FROM orders
