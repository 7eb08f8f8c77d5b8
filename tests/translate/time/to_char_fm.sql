-- to_char with FM (fill mode) is refused: 0A000
SELECT to_char(order_date, 'FMMonth') FROM orders
