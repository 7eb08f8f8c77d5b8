-- date + integer is a date
SELECT order_date + 7 AS next_week, order_date - 1 AS yesterday FROM orders
