-- date - date is an integer number of days
SELECT id, order_date - DATE '2024-01-01' AS days FROM orders
