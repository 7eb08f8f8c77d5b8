-- date + interval is a timestamp
SELECT order_date + INTERVAL '1 day' FROM orders
