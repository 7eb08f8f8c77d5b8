-- div() is integer quotient as numeric; mod() keeps the dividend's sign
SELECT div(total, 7), mod(item_count, 3), mod(total, 7) FROM orders
