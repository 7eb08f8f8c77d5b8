-- A Nullable key forms its own NULL group
SELECT coupon, count(*) FROM orders GROUP BY coupon
