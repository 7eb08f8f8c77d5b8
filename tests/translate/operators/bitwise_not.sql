-- Unary ~ (bitwise NOT)
SELECT ~ item_count FROM orders
