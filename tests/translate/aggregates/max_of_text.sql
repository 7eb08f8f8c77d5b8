-- max of a Nullable text column
SELECT max(coupon) FROM orders
