-- date::timestamp
SELECT order_date::timestamp AS midnight FROM orders
