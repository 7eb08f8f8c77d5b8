-- A text column cast to date
SELECT coupon::date FROM orders WHERE coupon LIKE '20%'
