-- ^ is exponentiation (left-associative; unary minus binds tighter)
SELECT id, item_count ^ 2 AS sq, -2 ^ 2 AS four FROM orders
