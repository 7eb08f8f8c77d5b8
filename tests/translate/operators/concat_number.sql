-- || with a number converts it to text
SELECT 'Order #' || id AS label FROM orders
