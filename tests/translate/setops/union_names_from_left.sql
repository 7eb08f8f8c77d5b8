-- A set operation's columns are named by its left arm
SELECT id AS key, 'order' AS kind FROM orders UNION ALL SELECT id, 'customer' FROM customers
