-- to_char with Mon and a quoted literal
SELECT to_char(order_date, 'Mon YYYY'), to_char(order_date, 'YYYY"Q"Q') FROM orders
