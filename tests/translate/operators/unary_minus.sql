-- Unary minus on a column
SELECT id, -total AS neg FROM orders
