-- to_timestamp(text, format)
SELECT to_timestamp(coupon, 'YYYY-MM-DD HH24:MI:SS') FROM orders
