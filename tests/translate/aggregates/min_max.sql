-- min and max keep the column's type
SELECT min(total), max(created_at), min(status), max(order_date) FROM orders
