-- date_trunc of a date is a timestamp with time zone
SELECT date_trunc('month', order_date) FROM orders
