-- Arithmetic precedence: * before +, parentheses kept
SELECT id, 2 + item_count * 3 AS a, (2 + item_count) * 3 AS b FROM orders
