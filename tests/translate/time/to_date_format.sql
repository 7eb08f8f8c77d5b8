-- to_date(text, format)
SELECT to_date(coupon, 'YYYYMMDD') FROM orders
