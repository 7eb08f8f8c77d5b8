-- A column qualified by the table's own name
SELECT orders.id, orders.total FROM orders
